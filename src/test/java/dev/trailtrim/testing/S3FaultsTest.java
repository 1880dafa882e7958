package dev.trailtrim.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.testing.S3Faults.Fault;
import dev.trailtrim.testing.S3Faults.Op;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The faults of {@link S3ProxyServer#startWithFaults}, as a client sees them: S3 error documents
 * with their status and code, a GET that stops short of its Content-Length, slow bodies, and
 * conditional writes that still work behind the fault layer.
 */
@Execution(ExecutionMode.CONCURRENT) // Waits out SDK backoffs on its own S3 server, no Spark
@ResourceLock(value = Resources.SYSTEM_OUT, mode = ResourceAccessMode.READ)
@ResourceLock(value = Resources.SYSTEM_ERR, mode = ResourceAccessMode.READ)
// Its methods share one S3Faults: they take turns (with it, JUnit runs them in one thread).
@ResourceLock("dev.trailtrim.testing.S3FaultsTest.faults")
class S3FaultsTest {

  /** S3Proxy's speed is in kilobytes (1000 bytes) per second. */
  private static final long SPEED_KB = 128;

  private static final S3Faults faults = new S3Faults();
  private static S3ProxyServer server;
  private static S3Client s3;
  private static String bucket;
  private static final byte[] object = new byte[64 * 1024];

  @BeforeAll
  static void start() {
    server = S3ProxyServer.startWithFaults(faults, Duration.ZERO, SPEED_KB);
    s3 = server.newS3Client();
    bucket = server.createUniqueBucket("faults");
    new Random(7).nextBytes(object);
    s3.putObject(b -> b.bucket(bucket).key("data/object.bin"), RequestBody.fromBytes(object));
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void noFaults() {
    faults.clear();
    faults.resetLog();
  }

  @Test
  void aPersistentSlowDownIsS3sErrorAndTheSdkRetriesItBeforeGivingUp() {
    faults.persistentFault(Op.GET, ".*/data/object\\.bin", Fault.SLOW_DOWN);
    S3Exception e = assertThrows(S3Exception.class,
        () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("data/object.bin")));
    assertEquals(503, e.statusCode());
    assertEquals("SlowDown", e.awsErrorDetails().errorCode());
    int attempts = faults.requests().size();
    System.out.println("S3FaultsTest: a persistent 503 SlowDown: the SDK client made " + attempts + " attempts");
    assertTrue(attempts > 1, "the SDK retried: " + faults.requests());
  }

  @Test
  void aTransientInternalErrorIsRetriedAndTheSecondAttemptServed() {
    faults.transientFault(Op.GET, ".*/data/object\\.bin", 1, Fault.INTERNAL_ERROR);
    assertArrayEquals(object, s3.getObjectAsBytes(b -> b.bucket(bucket).key("data/object.bin")).asByteArray());
    assertEquals(2, faults.requests().size(), faults.requests().toString());
    assertEquals(java.util.List.of(), faults.notRecovered());
  }

  @Test
  void aCutGetSendsTheFullContentLengthAndThenOnlyPartOfTheBody() throws IOException {
    faults.persistentFault(Op.GET, ".*/data/object\\.bin", Fault.cutAt(1000));
    // A presigned URL read by a plain HTTP client shows the bytes as they come off the wire.
    try (S3Presigner presigner = S3Presigner.builder().endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
        .build()) {
      var url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket(bucket).key("data/object.bin"))).url();
      HttpURLConnection connection = (HttpURLConnection) url.openConnection();
      // Were the connection kept open, the read below would wait for the rest: bounded.
      connection.setReadTimeout(10_000);
      assertEquals(200, connection.getResponseCode());
      assertEquals(object.length, connection.getContentLengthLong());
      long received = 0;
      IOException broken = null;
      try (InputStream in = connection.getInputStream()) {
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          received += n;
        }
      } catch (IOException e) {
        broken = e;
      }
      System.out.println("S3FaultsTest: a cut GET: Content-Length " + object.length + ", received " + received
          + " bytes, then the connection ended (" + (broken == null ? "end of stream" : broken) + ")");
      // HttpURLConnection reports a short body as its end: the reader must compare with Content-Length.
      assertEquals(1000, received);
      assertTrue(!(broken instanceof java.net.SocketTimeoutException), "the server closed the connection");
    }
    // The SDK reads the body to the end and fails after its retries: never a short array.
    faults.resetLog();
    SdkClientException sdk = assertThrows(SdkClientException.class,
        () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("data/object.bin")));
    System.out.println("S3FaultsTest: the SDK client, after " + faults.requests().size() + " cut GETs: " + sdk);
  }

  @Test
  void getBodiesComeAtTheConfiguredSpeed() {
    long started = System.nanoTime();
    assertArrayEquals(object, s3.getObjectAsBytes(b -> b.bucket(bucket).key("data/object.bin")).asByteArray());
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("S3FaultsTest: " + object.length + " bytes at " + SPEED_KB + " kB/s took " + millis + " ms");
    assertTrue(millis >= object.length / SPEED_KB * 8 / 10, millis + " ms");
  }

  @Test
  void conditionalWritesStillWorkBehindTheFaults() {
    s3.putObject(b -> b.bucket(bucket).key("lock.json").ifNoneMatch("*"), RequestBody.fromString("{}"));
    S3Exception again = assertThrows(S3Exception.class,
        () -> s3.putObject(b -> b.bucket(bucket).key("lock.json").ifNoneMatch("*"), RequestBody.fromString("{}")));
    assertEquals(412, again.statusCode());
  }
}
