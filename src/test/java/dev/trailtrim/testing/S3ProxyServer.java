package dev.trailtrim.testing;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.apache.hadoop.conf.Configuration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (S3Proxy 4.1.0, in-memory blob store) on {@code http://127.0.0.1:<free port>}.
 *
 * <p>S3Proxy brings its own Jetty, Jackson, logback and AWS SDK, which clash with Spark's, so it runs from
 * its own jar in an isolated class loader whose parent is the platform loader, and is driven by reflection.
 *
 * <p>Hadoop caches one S3A file system per bucket and keeps the endpoint it was created with. Tests that
 * start their own server must therefore use bucket names no other server has seen in this JVM
 * ({@link #createUniqueBucket(String)}); Spark tests should prefer the per-JVM {@link #shared()} server.
 *
 * <p>Every server keeps a {@link RequestLog} of the listings, GETs and PUTs its store served ({@link #requests()}).
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "trailtrim-test-access-key";
  public static final String SECRET_KEY = "trailtrim-test-secret-key";

  private static final String JAR_PROPERTY = "trailtrim.s3proxy.jar";
  private static final String S3PROXY_VERSION = "4.1.0";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private static S3ProxyServer shared;
  /**
   * S3Proxy's isolated loader, one per JVM for every server: a loader of its own per server would load,
   * verify and compile S3Proxy's thousands of classes again for each (a few CPU-seconds a server).
   */
  private static ClassLoader isolatedLoader;

  private final ClassLoader loader;
  private final Object s3Proxy;
  private final Object blobStore;
  private final Object backingStore;
  private final URI endpoint;
  private final Duration perRequestLatency;
  private final RequestLog requests;
  private boolean closed;

  private S3ProxyServer(ClassLoader loader, Object s3Proxy, Object blobStore, Object backingStore, URI endpoint,
      Duration latency, RequestLog requests) {
    this.loader = loader;
    this.s3Proxy = s3Proxy;
    this.blobStore = blobStore;
    this.backingStore = backingStore;
    this.endpoint = endpoint;
    this.perRequestLatency = latency;
    this.requests = requests;
  }

  /** Starts a new server with an empty in-memory store. Close it when done. */
  public static S3ProxyServer start() {
    return startWithLatency(Duration.ZERO);
  }

  /**
   * Starts a server whose every storage operation (GET, HEAD, PUT, LIST, ...) sleeps {@code perRequest}
   * first, inside the server, like a remote S3 would. Jetty serves up to 200 requests at once.
   */
  public static S3ProxyServer startWithLatency(Duration perRequest) {
    if (perRequest.isNegative()) {
      throw new IllegalArgumentException("Per-request latency must be zero or positive, got " + perRequest);
    }
    return launch(perRequest, 0, null);
  }

  /**
   * Starts a server that fails requests as {@code faults} says ({@link FaultInjectingBlobStore}), and serves
   * every GET body at no more than {@code getKilobytesPerSecond} (1000 bytes; 0: unthrottled) after
   * {@code latency}, with S3Proxy's own latency middleware. {@link #requests()} sees every request, the failed ones included.
   */
  public static S3ProxyServer startWithFaults(S3Faults faults, Duration latency, long getKilobytesPerSecond) {
    if (latency.isNegative() || getKilobytesPerSecond < 0) {
      throw new IllegalArgumentException("Latency and speed must be zero or positive, got " + latency + " and "
          + getKilobytesPerSecond);
    }
    return launch(latency, getKilobytesPerSecond, java.util.Objects.requireNonNull(faults, "faults"));
  }

  /** One server per JVM, started on first use and stopped by a shutdown hook; do not close it. */
  public static synchronized S3ProxyServer shared() {
    if (shared == null) {
      S3ProxyServer server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "s3proxy-shared-stop"));
      shared = server;
    }
    return shared;
  }

  public URI endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  public Duration perRequestLatency() {
    return perRequestLatency;
  }

  /** What this server's store was asked since it started (or since {@code requests().reset()}). */
  public RequestLog requests() {
    return requests;
  }

  /** A new SDK v2 client for this server (path-style, us-east-1, the fixed keys). Close it when done. */
  @SuppressWarnings("deprecation") // ApacheHttpClient: see LiveIamReader.newClient
  public S3Client newS3Client() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
        .build();
  }

  public void createBucket(String bucket) {
    try (S3Client s3 = newS3Client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  /** Creates a bucket named {@code prefix-<random>} (a valid S3 name if the prefix is) and returns the name. */
  public String createUniqueBucket(String prefix) {
    String bucket = (prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
        .toLowerCase(Locale.ROOT);
    createBucket(bucket);
    return bucket;
  }

  /**
   * Stores objects straight into the server's store, without HTTP, latency or {@link #requests()} entries:
   * seeding thousands of objects this way takes a second instead of minutes of signed PUTs. The bucket must
   * exist; readers see the objects exactly as if they had been PUT.
   */
  public void putObjectsDirectly(String bucket, Map<String, byte[]> objects) {
    withContextLoader(loader, () -> {
      Class<?> requestType = loader.loadClass("software.amazon.awssdk.services.s3.model.PutObjectRequest");
      Class<?> builderType = loader.loadClass("software.amazon.awssdk.services.s3.model.PutObjectRequest$Builder");
      Method put = loader.loadClass("org.gaul.s3proxy.blobstore.BlobStore")
          .getMethod("putBlob", requestType, java.io.InputStream.class);
      for (Map.Entry<String, byte[]> object : objects.entrySet()) {
        Object builder = requestType.getMethod("builder").invoke(null);
        builderType.getMethod("bucket", String.class).invoke(builder, bucket);
        builderType.getMethod("key", String.class).invoke(builder, object.getKey());
        builderType.getMethod("contentLength", Long.class).invoke(builder, (long) object.getValue().length);
        Object request = builderType.getMethod("build").invoke(builder);
        put.invoke(backingStore, request, new java.io.ByteArrayInputStream(object.getValue()));
      }
      return null;
    });
  }

  /**
   * The Hadoop settings that make {@code s3a://} and (as on EMR) {@code s3://} URIs reach this server,
   * with retries and timeouts short enough that a broken test fails in seconds. Sorted by key.
   */
  public Map<String, String> hadoopProperties() {
    Map<String, String> p = new TreeMap<>();
    p.put("fs.s3a.endpoint", endpoint.toString());
    p.put("fs.s3a.endpoint.region", "us-east-1");
    p.put("fs.s3a.path.style.access", "true");
    p.put("fs.s3a.connection.ssl.enabled", "false");
    p.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    p.put("fs.s3a.access.key", ACCESS_KEY);
    p.put("fs.s3a.secret.key", SECRET_KEY);
    p.put("fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    p.put("fs.s3a.buffer.dir", targetDir().resolve("s3a-buffer").toString());
    p.put("fs.s3a.bucket.probe", "0");
    // SDK-level attempts and S3A's own retry loops; the defaults retry for minutes.
    p.put("fs.s3a.attempts.maximum", "1");
    p.put("fs.s3a.retry.limit", "2");
    p.put("fs.s3a.retry.interval", "20ms");
    p.put("fs.s3a.retry.throttle.limit", "2");
    p.put("fs.s3a.retry.throttle.interval", "20ms");
    // Hadoop 3.4 raises any network timeout below 15 s to 15 s.
    p.put("fs.s3a.connection.establish.timeout", "15s");
    p.put("fs.s3a.connection.timeout", "15s");
    p.put("fs.s3a.connection.request.timeout", "15s");
    p.put("fs.s3a.connection.acquisition.timeout", "15s");
    return Collections.unmodifiableMap(p);
  }

  public void applyTo(Configuration conf) {
    hadoopProperties().forEach(conf::set);
  }

  /** A fresh Hadoop configuration with this server's settings (no defaults from a cluster). */
  public Configuration newHadoopConfiguration() {
    Configuration conf = new Configuration();
    applyTo(conf);
    return conf;
  }

  @Override
  public synchronized void close() {
    if (this == shared) {
      return; // stopped by the shutdown hook; other test classes still use it
    }
    stop();
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    // The loader stays: the next server uses it too.
    withContextLoader(loader, () -> {
      s3Proxy.getClass().getMethod("stop").invoke(s3Proxy);
      // Through the interface: the store is a dynamic proxy whose class is not accessible.
      loader.loadClass("org.gaul.s3proxy.blobstore.BlobStore").getMethod("close").invoke(blobStore);
      return null;
    });
  }

  /** The loader of S3Proxy's jar, whose parent is the platform loader: none of Spark's classes show through. */
  private static synchronized ClassLoader isolatedLoader() {
    if (isolatedLoader == null) {
      isolatedLoader = new URLClassLoader("s3proxy", new URL[] {jarUrl()}, ClassLoader.getPlatformClassLoader());
    }
    return isolatedLoader;
  }

  private static S3ProxyServer launch(Duration latency, long getKilobytesPerSecond, S3Faults faults) {
    ClassLoader loader = isolatedLoader();
    return withContextLoader(loader, () -> {
      quietLogback(loader);
      Object backing = loader.loadClass("org.gaul.s3proxy.nio2blob.TransientNio2BlobStore")
          .getConstructor().newInstance();
      Object store = backing;
      if (!latency.isZero() || getKilobytesPerSecond > 0) {
        store = withLatency(loader, store, latency, getKilobytesPerSecond);
      }
      if (faults != null) {
        // Inside the accounting: the request log counts the GETs that fail too, so retries show.
        store = FaultInjectingBlobStore.load(loader, locateJar(), targetDir().resolve("s3proxy"))
            .getConstructor(loader.loadClass("org.gaul.s3proxy.blobstore.BlobStore"),
                java.util.function.Function.class)
            .newInstance(store, faults);
      }
      RequestLog requests = new RequestLog();
      store = withAccounting(loader, store, requests);
      Class<?> storeType = loader.loadClass("org.gaul.s3proxy.blobstore.BlobStore");
      Class<?> authType = loader.loadClass("org.gaul.s3proxy.auth.AuthenticationType");
      Object builder = loader.loadClass("org.gaul.s3proxy.S3Proxy").getMethod("builder").invoke(null);
      Class<?> builderType = builder.getClass();
      builderType.getMethod("blobStore", storeType).invoke(builder, store);
      builderType.getMethod("endpoint", URI.class).invoke(builder, URI.create("http://127.0.0.1:0"));
      // Jetty's graceful stop otherwise waits up to 30 s for idle keep-alive connections.
      builderType.getMethod("stopTimeout", long.class).invoke(builder, 100L);
      builderType.getMethod("awsAuthentication", authType, String.class, String.class)
          .invoke(builder, authType.getField("AWS_V2_OR_V4").get(null), ACCESS_KEY, SECRET_KEY);
      Object proxy = builderType.getMethod("build").invoke(builder);
      proxy.getClass().getMethod("start").invoke(proxy);
      awaitStarted(proxy);
      int port = (int) proxy.getClass().getMethod("getPort").invoke(proxy);
      return new S3ProxyServer(loader, proxy, store, backing, URI.create("http://127.0.0.1:" + port), latency,
          requests);
    });
  }

  /**
   * Wraps the store in S3Proxy's own latency middleware: {@code latency} before every operation ("*"), and
   * GET bodies read at {@code getKilobytesPerSecond} (S3Proxy's "speed": it sleeps after each chunk it
   * reads, size / speed milliseconds).
   */
  private static Object withLatency(ClassLoader loader, Object store, Duration latency, long getKilobytesPerSecond)
      throws Exception {
    Properties props = new Properties();
    if (!latency.isZero()) {
      props.setProperty("s3proxy.latency-blobstore.*.latency", Long.toString(Math.max(1, latency.toMillis())));
    }
    if (getKilobytesPerSecond > 0) {
      props.setProperty("s3proxy.latency-blobstore.get.speed", Long.toString(getKilobytesPerSecond));
    }
    Class<?> storeType = loader.loadClass("org.gaul.s3proxy.blobstore.BlobStore");
    Class<?> factoryType = loader.loadClass("org.gaul.s3proxy.middleware.Middlewares$BackendFactory");
    // Only the sharded middleware asks for extra backends; we never configure it.
    Object factory = Proxy.newProxyInstance(loader, new Class<?>[] {factoryType}, (p, method, args) -> {
      throw new UnsupportedOperationException("S3ProxyServer does not configure extra S3Proxy backends");
    });
    return loader.loadClass("org.gaul.s3proxy.middleware.Middlewares")
        .getMethod("wrap", storeType, Properties.class, factoryType)
        .invoke(null, store, props, factory);
  }

  /**
   * Wraps the store (outside the latency middleware, so a GET is in flight while it sleeps) in a
   * {@link AccountingBlobStore} that records listings, GETs and PUTs. It forwards the recorded calls straight to
   * the store, whose own default methods call their overloads on the store, so each request is counted once.
   */
  private static Object withAccounting(ClassLoader loader, Object store, RequestLog requests) throws Exception {
    InvocationHandler accounting = (p, method, args) -> {
      boolean get = method.getName().equals("getBlob");
      boolean put = method.getName().equals("putBlob");
      String object = get || put ? objectOf(args) : null;
      if (get) {
        requests.getStarted(object);
      }
      if (put) {
        requests.putStarted();
      }
      try {
        Object result = method.invoke(store, args);
        if (isObjectListing(method)) {
          requests.listed(listing(args[0], result));
        }
        return result;
      } catch (InvocationTargetException e) {
        throw e.getCause();
      } finally {
        if (get) {
          requests.getFinished();
        }
        if (put) {
          requests.putFinished(object);
        }
      }
    };
    Class<?> storeType = loader.loadClass("org.gaul.s3proxy.blobstore.BlobStore");
    return AccountingBlobStore.load(loader, locateJar(), targetDir().resolve("s3proxy"))
        .getConstructor(storeType, InvocationHandler.class).newInstance(store, accounting);
  }

  /** {@code bucket/key} of a getBlob or putBlob call: (GetObjectRequest), (bucket, key) or (PutObjectRequest, body). */
  private static String objectOf(Object[] args) throws ReflectiveOperationException {
    if (args != null && args.length == 2 && args[0] instanceof String bucket && args[1] instanceof String key) {
      return bucket + "/" + key;
    }
    if (args != null && args.length >= 1 && args[0] != null) {
      Object request = args[0];
      return request.getClass().getMethod("bucket").invoke(request) + "/"
          + request.getClass().getMethod("key").invoke(request);
    }
    return "?";
  }

  /** {@code list(ListObjectsV2Request)} and {@code listV1(ListObjectsRequest)}; not the bucket listing. */
  private static boolean isObjectListing(Method method) {
    return method.getParameterCount() == 1 && (method.getName().equals("listV1")
        || method.getName().equals("list")
            && method.getParameterTypes()[0].getSimpleName().equals("ListObjectsV2Request"));
  }

  /** Reads the SDK request and response (the server's own SDK classes) by reflection. */
  private static RequestLog.Listing listing(Object request, Object response) throws ReflectiveOperationException {
    List<String> keys = new java.util.ArrayList<>();
    for (Object object : (List<?>) call(response, "contents")) {
      keys.add((String) call(object, "key"));
    }
    List<String> prefixes = new java.util.ArrayList<>();
    for (Object prefix : (List<?>) call(response, "commonPrefixes")) {
      prefixes.add((String) call(prefix, "prefix"));
    }
    return new RequestLog.Listing((String) call(request, "bucket"), (String) call(request, "prefix"),
        (String) call(request, "delimiter"), (Integer) call(request, "maxKeys"), keys, prefixes);
  }

  private static Object call(Object target, String method) throws ReflectiveOperationException {
    return target.getClass().getMethod(method).invoke(target);
  }

  private static void awaitStarted(Object proxy) throws Exception {
    Method state = proxy.getClass().getMethod("getState");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!"STARTED".equals(state.invoke(proxy))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start within " + START_TIMEOUT
            + "; state is " + state.invoke(proxy));
      }
      Thread.sleep(5);
    }
  }

  /**
   * The jar's own logback.xml logs every Jetty start and stop at INFO and dumps logback's status. Point
   * logback at a quiet configuration instead; only the isolated loader has logback (Spark uses log4j2).
   */
  private static synchronized void quietLogback(ClassLoader loader) throws IOException {
    if (System.getProperty("logback.configurationFile") == null) {
      Path config = targetDir().resolve("s3proxy").resolve("logback-quiet.xml");
      Files.createDirectories(config.getParent());
      Files.writeString(config, """
                    <configuration>
                      <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
                      <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                        <target>System.err</target>
                        <encoder><pattern>[s3proxy] %-5level %logger{20}: %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="STDERR"/></root>
                    </configuration>
                    """);
      System.setProperty("logback.configurationFile", config.toString());
    }
    try {
      loader.loadClass("org.slf4j.LoggerFactory").getMethod("getILoggerFactory").invoke(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      // A different logging back end inside the jar: noisy but harmless.
    }
  }

  /** Jetty finds its parts with ServiceLoader, which uses the thread's context class loader. */
  private static <T> T withContextLoader(ClassLoader loader, Callable<T> action) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return action.call();
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("S3Proxy failed: " + e.getCause(), e.getCause());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot drive S3Proxy by reflection: " + e, e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static URL jarUrl() {
    Path jar = locateJar();
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException("Cannot turn S3Proxy jar path into a URL: " + jar, e);
    }
  }

  private static Path locateJar() {
    String configured = System.getProperty(JAR_PROPERTY);
    if (configured != null && Files.isRegularFile(Paths.get(configured))) {
      return Paths.get(configured);
    }
    Path copied = targetDir().resolve("s3proxy").resolve("s3proxy.jar");
    if (Files.isRegularFile(copied)) {
      return copied;
    }
    // Running from an IDE without Maven's generate-test-resources: the local repository has it.
    Path inRepository = Paths.get(System.getProperty("user.home"), ".m2", "repository", "org", "gaul", "s3proxy",
        S3PROXY_VERSION, "s3proxy-" + S3PROXY_VERSION + "-jar-with-dependencies.jar");
    if (Files.isRegularFile(inRepository)) {
      return inRepository;
    }
    throw new IllegalStateException("S3Proxy jar not found (-D" + JAR_PROPERTY + "=" + configured + ", " + copied
        + ", " + inRepository + "): run the tests through Maven, whose generate-test-resources phase copies it");
  }

  /** The build directory, where tests may write scratch files. */
  static Path targetDir() {
    String projectDir = System.getProperty("trailtrim.project.dir");
    Path base = projectDir != null ? Paths.get(projectDir) : Paths.get("").toAbsolutePath();
    return base.resolve("target");
  }

  @Override
  public String toString() {
    return "S3ProxyServer[" + endpoint + (perRequestLatency.isZero() ? "" : ", latency " + perRequestLatency) + "]";
  }
}
