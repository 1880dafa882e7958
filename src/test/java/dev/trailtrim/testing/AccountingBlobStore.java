package dev.trailtrim.testing;

import java.nio.file.Path;

/**
 * The request accounting of {@link S3ProxyServer}, as a subclass of S3Proxy's own
 * {@code ForwardingBlobStore}, compiled at test time against the S3Proxy jar (it cannot be compiled
 * with the tests: S3Proxy's classes live only in its isolated class loader).
 *
 * <p>Why not a {@link java.lang.reflect.Proxy}: S3Proxy decides from the store's class name, after
 * unwrapping {@code ForwardingBlobStore}s, whether the store can do conditional writes
 * ({@code If-None-Match: *}); behind a dynamic proxy it answers every conditional PUT with 501, so
 * the job's output lock could not be tested.
 */
final class AccountingBlobStore {

  static final String CLASS_NAME = "dev.trailtrim.testing.s3proxy.AccountingBlobStore";

  /**
   * Forwards everything to the wrapped store; the calls the request log counts go through the
   * handler, which calls the wrapped store itself. Each is forwarded to the store's own method,
   * so a default method of the store calling its overload is not counted twice.
   */
  private static final String SOURCE = """
            package dev.trailtrim.testing.s3proxy;

            import java.io.InputStream;
            import java.lang.reflect.InvocationHandler;
            import java.lang.reflect.Method;
            import org.gaul.s3proxy.blobstore.BlobStore;
            import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
            import software.amazon.awssdk.core.ResponseInputStream;
            import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
            import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
            import software.amazon.awssdk.services.s3.model.GetObjectRequest;
            import software.amazon.awssdk.services.s3.model.GetObjectResponse;
            import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
            import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
            import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
            import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
            import software.amazon.awssdk.services.s3.model.PutObjectRequest;
            import software.amazon.awssdk.services.s3.model.PutObjectResponse;

            public final class AccountingBlobStore extends ForwardingBlobStore {
              private static final Method GET;
              private static final Method GET_BY_NAME;
              private static final Method LIST;
              private static final Method LIST_V1;
              private static final Method PUT;

              static {
                try {
                  GET = BlobStore.class.getMethod("getBlob", GetObjectRequest.class);
                  GET_BY_NAME = BlobStore.class.getMethod("getBlob", String.class, String.class);
                  LIST = BlobStore.class.getMethod("list", ListObjectsV2Request.class);
                  LIST_V1 = BlobStore.class.getMethod("listV1", ListObjectsRequest.class);
                  PUT = BlobStore.class.getMethod("putBlob", PutObjectRequest.class, InputStream.class);
                } catch (NoSuchMethodException e) {
                  throw new ExceptionInInitializerError(e);
                }
              }

              private final InvocationHandler handler;

              public AccountingBlobStore(BlobStore store, InvocationHandler handler) {
                super(store);
                this.handler = handler;
              }

              @SuppressWarnings("unchecked")
              private <T> T call(Method method, Object... args) {
                try {
                  return (T) handler.invoke(this, method, args);
                } catch (RuntimeException | Error e) {
                  throw e;
                } catch (Throwable e) {
                  throw new IllegalStateException(e);
                }
              }

              @Override
              public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
                return call(GET, request);
              }

              @Override
              public ResponseInputStream<GetObjectResponse> getBlob(String bucket, String key) {
                return call(GET_BY_NAME, bucket, key);
              }

              @Override
              public ListObjectsV2Response list(ListObjectsV2Request request) {
                return call(LIST, request);
              }

              @Override
              public ListObjectsResponse listV1(ListObjectsRequest request) {
                return call(LIST_V1, request);
              }

              @Override
              public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
                return call(PUT, request, payload);
              }

              // One request, as the server got it: the interface's default would delete key by key through this
              // store, so a store inside it would see a bulk delete as many single deletes.
              @Override
              public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
                return delegate().removeBlobs(request);
              }
            }
            """;

  private AccountingBlobStore() {}

  /** The compiled class, loaded by a child of S3Proxy's loader ({@link S3ProxyClasses}). */
  static Class<?> load(ClassLoader s3proxyLoader, Path s3proxyJar, Path workDir) {
    return S3ProxyClasses.load(CLASS_NAME, SOURCE, "accounting", s3proxyLoader, s3proxyJar, workDir);
  }
}
