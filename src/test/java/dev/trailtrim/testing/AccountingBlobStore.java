package dev.trailtrim.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

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

            import java.lang.reflect.InvocationHandler;
            import java.lang.reflect.Method;
            import org.gaul.s3proxy.blobstore.BlobStore;
            import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
            import software.amazon.awssdk.core.ResponseInputStream;
            import software.amazon.awssdk.services.s3.model.GetObjectRequest;
            import software.amazon.awssdk.services.s3.model.GetObjectResponse;
            import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
            import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
            import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
            import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

            public final class AccountingBlobStore extends ForwardingBlobStore {
              private static final Method GET;
              private static final Method GET_BY_NAME;
              private static final Method LIST;
              private static final Method LIST_V1;

              static {
                try {
                  GET = BlobStore.class.getMethod("getBlob", GetObjectRequest.class);
                  GET_BY_NAME = BlobStore.class.getMethod("getBlob", String.class, String.class);
                  LIST = BlobStore.class.getMethod("list", ListObjectsV2Request.class);
                  LIST_V1 = BlobStore.class.getMethod("listV1", ListObjectsRequest.class);
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
            }
            """;

    private AccountingBlobStore() {}

    /**
     * The compiled class, loaded by a child of S3Proxy's loader. Compiled once into
     * {@code workDir} (about a second) and reused while the source and the jar are the same.
     */
    static synchronized Class<?> load(ClassLoader s3proxyLoader, Path s3proxyJar, Path workDir) {
        try {
            Path classes = workDir.resolve("accounting-" + digest(s3proxyJar));
            Path compiled = classes.resolve(CLASS_NAME.replace('.', '/') + ".class");
            if (!Files.isRegularFile(compiled)) {
                compile(s3proxyJar, classes);
            }
            URLClassLoader loader = new URLClassLoader("s3proxy-accounting", new URL[] {classes.toUri().toURL()},
                    s3proxyLoader);
            return loader.loadClass(CLASS_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Compiled " + CLASS_NAME + " but cannot load it", e);
        }
    }

    private static void compile(Path s3proxyJar, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("No Java compiler in this JVM (" + System.getProperty("java.home")
                    + "): run the tests on a JDK, not a JRE");
        }
        Path sources = Files.createTempDirectory(classes.getParent(), "accounting-src");
        Path source = sources.resolve("AccountingBlobStore.java");
        Files.writeString(source, SOURCE);
        // Compiled aside and moved into place, so a concurrent test JVM never loads half a class.
        Path staging = Files.createTempDirectory(classes.getParent(), "accounting-classes");
        int status = javac.run(null, null, System.err, "-proc:none", "-nowarn", "--release", "17",
                "-classpath", s3proxyJar.toString(), "-d", staging.toString(), source.toString());
        if (status != 0) {
            throw new IllegalStateException("Cannot compile " + CLASS_NAME + " against " + s3proxyJar
                    + " (javac exit " + status + "): see the errors above");
        }
        Files.delete(source);
        Files.delete(sources);
        try {
            Files.move(staging, classes);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Another test JVM compiled the same source first: use its classes.
        }
    }

    /** The jar's size and modification time with the source: recompile when either changes. */
    private static String digest(Path s3proxyJar) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(SOURCE.getBytes(StandardCharsets.UTF_8));
            sha.update((Files.size(s3proxyJar) + " " + Files.getLastModifiedTime(s3proxyJar))
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
