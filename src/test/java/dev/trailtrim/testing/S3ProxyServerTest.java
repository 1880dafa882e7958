package dev.trailtrim.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ProxyServerTest {

  private static S3ProxyServer server;
  private static S3Client s3;

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.start();
    s3 = server.newS3Client();
  }

  @AfterAll
  static void stopServer() {
    if (s3 != null) {
      s3.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listensOnLoopbackWithAFreePort() {
    URI endpoint = server.endpoint();
    assertEquals("http", endpoint.getScheme());
    assertEquals("127.0.0.1", endpoint.getHost());
    assertTrue(endpoint.getPort() > 0, "port " + endpoint.getPort());
  }

  @Test
  void sdkClientWritesAndReadsObjects() {
    String bucket = server.createUniqueBucket("sdk");
    s3.putObject(b -> b.bucket(bucket).key("a/b.txt"), RequestBody.fromString("hello"));
    assertEquals("hello", s3.getObjectAsBytes(b -> b.bucket(bucket).key("a/b.txt")).asUtf8String());
    assertEquals(List.of("a/b.txt"),
        s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).toList());
  }

  @Test
  void rejectsWrongCredentials() {
    String bucket = server.createUniqueBucket("auth");
    try (S3Client wrong = S3Client.builder()
        .endpointOverride(server.endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(server.accessKey(), "not-the-secret")))
        .build()) {
      S3Exception e = assertThrows(S3Exception.class, () -> wrong.listObjectsV2(b -> b.bucket(bucket)));
      assertEquals(403, e.statusCode());
    }
  }

  @Test
  void hadoopListsAndReadsSdkObjectsThroughS3aAndS3Schemes() throws IOException {
    String bucket = server.createUniqueBucket("hadoop-read");
    s3.putObject(b -> b.bucket(bucket).key("logs/2024/01/one.json"), RequestBody.fromString("{\"n\":1}\n"));
    s3.putObject(b -> b.bucket(bucket).key("logs/2024/01/two.json"), RequestBody.fromString("{\"n\":2}\n"));
    s3.putObject(b -> b.bucket(bucket).key("logs/2024/02/three.json"), RequestBody.fromString("{\"n\":3}\n"));
    Configuration conf = server.newHadoopConfiguration();

    for (String scheme : List.of("s3a", "s3")) {
      Path january = new Path(scheme + "://" + bucket + "/logs/2024/01");
      try (FileSystem fs = FileSystem.newInstance(january.toUri(), conf)) {
        assertTrue(fs instanceof S3AFileSystem, scheme + " gives " + fs.getClass());
        List<String> names = new ArrayList<>();
        for (FileStatus status : fs.listStatus(january)) {
          names.add(status.getPath().getName());
        }
        names.sort(null);
        assertEquals(List.of("one.json", "two.json"), names, scheme);
        // Directories exist only as key prefixes: s3a must still see "logs/2024" as a directory.
        assertTrue(fs.getFileStatus(new Path(scheme + "://" + bucket + "/logs/2024")).isDirectory(), scheme);
        assertEquals(3, countFiles(fs, new Path(scheme + "://" + bucket + "/logs")), scheme);
        try (InputStream in = fs.open(new Path(january, "two.json"))) {
          assertEquals("{\"n\":2}\n", new String(in.readAllBytes(), StandardCharsets.UTF_8), scheme);
        }
        assertThrows(FileNotFoundException.class, () -> fs.getFileStatus(new Path(january, "missing.json")));
      }
    }
  }

  @Test
  void sdkReadsWhatHadoopWroteThroughS3a() throws IOException {
    String bucket = server.createUniqueBucket("hadoop-write");
    Path out = new Path("s3a://" + bucket + "/out/part-0.csv");
    try (FileSystem fs = FileSystem.newInstance(out.toUri(), server.newHadoopConfiguration())) {
      try (OutputStream os = fs.create(out, false)) {
        os.write("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
      }
      assertTrue(fs.rename(out, new Path("s3a://" + bucket + "/out/final.csv")), "rename via copy + delete");
      assertFalse(fs.exists(out));
    }
    assertEquals("a,b\n1,2\n", s3.getObjectAsBytes(b -> b.bucket(bucket).key("out/final.csv")).asUtf8String());
  }

  @Test
  void hadoopPropertiesCarryTheEndpointAndSchemeMapping() {
    Map<String, String> props = server.hadoopProperties();
    assertEquals(server.endpoint().toString(), props.get("fs.s3a.endpoint"));
    assertEquals("org.apache.hadoop.fs.s3a.S3AFileSystem", props.get("fs.s3.impl"));
    assertEquals("true", props.get("fs.s3a.path.style.access"));
    assertEquals(List.copyOf(new TreeSet<>(props.keySet())), List.copyOf(props.keySet()), "sorted keys");
  }

  @Test
  void latencyIsAddedToEveryRequestAndOverlapsAcrossConcurrentRequests() throws Exception {
    Duration latency = Duration.ofMillis(300);
    try (S3ProxyServer slow = S3ProxyServer.startWithLatency(latency); S3Client client = slow.newS3Client()) {
      assertEquals(latency, slow.perRequestLatency());
      String bucket = slow.createUniqueBucket("slow");
      client.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v"));

      long started = System.nanoTime();
      assertEquals("v", client.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String());
      long oneGet = System.nanoTime() - started;
      assertTrue(oneGet >= latency.toNanos(), "one GET took " + oneGet / 1_000_000 + " ms");
      assertEquals(1, slow.requests().gets());
      assertEquals(1, slow.requests().maxGetsInFlight());

      int inFlight = 16;
      ExecutorService pool = Executors.newFixedThreadPool(inFlight);
      try {
        started = System.nanoTime();
        List<Future<String>> gets = new ArrayList<>();
        for (int i = 0; i < inFlight; i++) {
          gets.add(pool.submit(() -> client.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String()));
        }
        for (Future<String> get : gets) {
          assertEquals("v", get.get());
        }
        long all = System.nanoTime() - started;
        // Serial would take 16 x 300 ms = 4.8 s; the server sleeps per request, in parallel. The bound
        // leaves room for a loaded build machine.
        assertTrue(all < latency.toNanos() * inFlight / 2, inFlight + " GETs took " + all / 1_000_000 + " ms");
        assertEquals(1 + inFlight, slow.requests().gets());
        // The server saw them overlap: a GET is in flight while the store sleeps its latency.
        int overlapping = slow.requests().maxGetsInFlight();
        assertTrue(overlapping > inFlight / 2 && overlapping <= inFlight, "max GETs in flight " + overlapping);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void requestLogRecordsListingsWithWhatTheyReturnedAndGets() {
    String bucket = server.createUniqueBucket("log");
    for (String key : List.of("a/1", "a/2", "a/b/3", "a/b/4", "c/5")) {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
    }
    RequestLog log = server.requests();
    log.reset();
    assertEquals(List.of(), log.listings());

    s3.listObjectsV2(b -> b.bucket(bucket).prefix("a/").delimiter("/"));
    List<String> pagedKeys = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("a/").maxKeys(2)).contents()
        .forEach(o -> pagedKeys.add(o.key()));
    s3.listObjects(b -> b.bucket(bucket).prefix("c/"));
    assertEquals(List.of("a/1", "a/2", "a/b/3", "a/b/4"), pagedKeys);

    List<RequestLog.Listing> listings = log.listings(bucket);
    assertEquals(4, listings.size(), listings.toString());
    assertEquals(new RequestLog.Listing(bucket, "a/", "/", null, List.of("a/1", "a/2"), List.of("a/b/")),
        new RequestLog.Listing(bucket, listings.get(0).prefix(), listings.get(0).delimiter(), null,
            listings.get(0).keys(), listings.get(0).commonPrefixes()));
    assertEquals(List.of("a/1", "a/2"), listings.get(1).keys(), "first page of two keys");
    assertEquals(2, listings.get(1).maxKeys());
    assertEquals(List.of("a/b/3", "a/b/4"), listings.get(2).keys(), "second page");
    assertEquals(List.of("c/5"), listings.get(3).keys(), "ListObjects V1 too");
    assertEquals(7, log.keysListed(bucket));
    assertEquals(1, log.commonPrefixesListed());
    assertEquals(0, log.gets(), "listings are not GETs");

    for (String key : List.of("a/1", "c/5", "a/1")) {
      assertEquals(key, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
    }
    s3.headObject(b -> b.bucket(bucket).key("a/2"));
    assertEquals(3, log.gets(), "three GETs; a HEAD is not one");
    assertEquals(1, log.maxGetsInFlight(), "one after the other");

    log.reset();
    assertEquals(0, log.gets());
    assertEquals(0, log.maxGetsInFlight());
    assertEquals(0, log.keysListed());
    assertTrue(log.listings().isEmpty());
  }

  @Test
  void sharedServerSurvivesClose() {
    S3ProxyServer shared = S3ProxyServer.shared();
    assertTrue(shared == S3ProxyServer.shared());
    shared.close();
    String bucket = shared.createUniqueBucket("shared");
    try (S3Client client = shared.newS3Client()) {
      assertTrue(client.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
    }
  }

  private static int countFiles(FileSystem fs, Path dir) throws IOException {
    int files = 0;
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      it.next();
      files++;
    }
    return files;
  }
}
