package dev.trailtrim.testing;

import java.nio.file.Path;

/**
 * The fault injection of {@link S3ProxyServer#startWithFaults}: a subclass of S3Proxy's own
 * {@code ForwardingBlobStore} (so conditional writes still work, see {@link AccountingBlobStore}),
 * compiled at test time, that asks an {@link S3Faults} about each request before serving it.
 *
 * <p>S3Proxy's own middlewares add latency and throttle bandwidth ({@code s3proxy.latency-blobstore.*},
 * used for slow reads), fake eventual consistency, store nothing or refuse writes with 501; none answers
 * 500 or 503 SlowDown, or breaks a response half-way. This store does: an error is thrown as the S3 error
 * document S3Proxy renders (status and code, as S3 sends them), and a cut GET ends its body after N bytes,
 * so Jetty closes the connection short of the Content-Length it has sent (what a reset mid-object looks
 * like to the client). The cut is at a byte of the object, so a reader that resumes where the body broke
 * off (as s3a does) gets nothing more while the fault lasts.
 */
final class FaultInjectingBlobStore {

  static final String CLASS_NAME = "dev.trailtrim.testing.s3proxy.FaultInjectingBlobStore";

  /**
   * Every request S3Proxy serves goes through one of the overridden methods (the store's default methods,
   * such as {@code listV1} or {@code removeBlob(String, String)}, call them on this store); the requests are
   * named {@code OP bucket/key} for {@link S3Faults#apply}. Bulk deletes are one request, as on S3.
   */
  private static final String SOURCE = """
            package dev.trailtrim.testing.s3proxy;

            import java.io.FilterInputStream;
            import java.io.IOException;
            import java.io.InputStream;
            import java.util.function.Function;
            import org.gaul.s3proxy.blobstore.BlobStore;
            import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
            import org.gaul.s3proxy.blobstore.SdkResponses;
            import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
            import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
            import software.amazon.awssdk.core.ResponseInputStream;
            import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
            import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
            import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
            import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
            import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
            import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
            import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
            import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
            import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
            import software.amazon.awssdk.services.s3.model.GetObjectRequest;
            import software.amazon.awssdk.services.s3.model.GetObjectResponse;
            import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
            import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
            import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
            import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
            import software.amazon.awssdk.services.s3.model.PutObjectRequest;
            import software.amazon.awssdk.services.s3.model.PutObjectResponse;
            import software.amazon.awssdk.services.s3.model.S3Exception;
            import software.amazon.awssdk.services.s3.model.UploadPartRequest;
            import software.amazon.awssdk.services.s3.model.UploadPartResponse;

            public final class FaultInjectingBlobStore extends ForwardingBlobStore {
              private final Function<String, String> faults;

              public FaultInjectingBlobStore(BlobStore store, Function<String, String> faults) {
                super(store);
                this.faults = faults;
              }

              /** Throws the request's error, sleeps its delay, or returns what to do to a GET's body. */
              private String check(String request) {
                String fault = faults.apply(request);
                if (fault == null) {
                  return null;
                }
                String[] parts = fault.split(" ", 4);
                if (parts[0].equals("error")) {
                  int status = Integer.parseInt(parts[1]);
                  throw (S3Exception) S3Exception.builder().statusCode(status).message(parts[3])
                      .awsErrorDetails(AwsErrorDetails.builder().errorCode(parts[2]).errorMessage(parts[3])
                          .serviceName("S3").build())
                      .build();
                }
                if (parts[0].equals("delay")) {
                  try {
                    Thread.sleep(Long.parseLong(parts[1]));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return null;
                }
                return fault;
              }

              private static String name(String bucket, String key) {
                return bucket + "/" + (key == null ? "" : key);
              }

              @Override
              public ListObjectsV2Response list(ListObjectsV2Request request) {
                check("LIST " + name(request.bucket(), request.prefix()));
                return super.list(request);
              }

              @Override
              public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
                check("HEAD " + name(request.bucket(), request.key()));
                return super.blobMetadata(request);
              }

              @Override
              public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
                String fault = check("GET " + name(request.bucket(), request.key())
                    + (request.range() == null ? "" : " " + request.range()));
                ResponseInputStream<GetObjectResponse> blob = super.getBlob(request);
                if (fault == null || blob == null || !fault.startsWith("cut ")) {
                  return blob;
                }
                // The cut is at a byte of the object: a ranged GET that starts at or past it gets no body at all.
                long from = 0;
                String range = request.range();
                if (range != null && range.startsWith("bytes=") && range.indexOf('-') > 6) {
                  from = Long.parseLong(range.substring(6, range.indexOf('-')));
                }
                long cutAt = Long.parseLong(fault.substring(4));
                return SdkResponses.getResponse(blob.response(), new Cut(blob, Math.max(0, cutAt - from)));
              }

              @Override
              public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
                check("PUT " + name(request.bucket(), request.key()));
                return super.putBlob(request, payload);
              }

              @Override
              public CopyObjectResponse copyBlob(CopyObjectRequest request) {
                check("COPY " + name(request.destinationBucket(), request.destinationKey()));
                return super.copyBlob(request);
              }

              @Override
              public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
                check("DELETE " + name(request.bucket(), request.key()));
                return super.removeBlob(request);
              }

              @Override
              public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
                check("DELETE " + name(request.bucket(), request.delete().objects().isEmpty() ? ""
                    : request.delete().objects().get(0).key()));
                return delegate().removeBlobs(request);
              }

              @Override
              public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
                check("PUT " + name(request.bucket(), request.key()));
                return super.initiateMultipartUpload(request);
              }

              @Override
              public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request,
                  InputStream payload) {
                check("PUT " + name(request.bucket(), request.key()));
                return super.uploadMultipartPart(upload, request, payload);
              }

              @Override
              public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                  CompleteMultipartUploadRequest request) {
                check("PUT " + name(request.bucket(), request.key()));
                return super.completeMultipartUpload(upload, request);
              }

              /**
               * The body ends after {@code left} bytes: S3Proxy flushes what it has, and Jetty, short of the
               * Content-Length it has sent, closes the connection.
               */
              private static final class Cut extends FilterInputStream {
                private long left;

                Cut(InputStream in, long left) {
                  super(in);
                  this.left = left;
                }

                @Override
                public int read() throws IOException {
                  if (left <= 0) {
                    return -1;
                  }
                  int b = super.read();
                  if (b >= 0) {
                    left--;
                  }
                  return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                  if (left <= 0) {
                    return -1;
                  }
                  int n = super.read(buffer, offset, (int) Math.min(length, left));
                  if (n > 0) {
                    left -= n;
                  }
                  return n;
                }
              }
            }
            """;

  private FaultInjectingBlobStore() {}

  /** The compiled class, loaded by a child of S3Proxy's loader ({@link S3ProxyClasses}). */
  static Class<?> load(ClassLoader s3proxyLoader, Path s3proxyJar, Path workDir) {
    return S3ProxyClasses.load(CLASS_NAME, SOURCE, "faults", s3proxyLoader, s3proxyJar, workDir);
  }
}
