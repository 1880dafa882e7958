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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles a class against the S3Proxy jar at test time and loads it in a child of S3Proxy's
 * isolated loader: S3Proxy's classes exist only there, so its middlewares of ours
 * ({@link AccountingBlobStore}, {@link FaultInjectingBlobStore}) cannot be compiled with the tests.
 */
final class S3ProxyClasses {

  /** Each compiled class, loaded once per S3Proxy loader and name. */
  private static final Map<List<Object>, Class<?>> LOADED = new HashMap<>();

  private S3ProxyClasses() {}

  /**
   * The compiled class, compiled once into {@code workDir/<name>-<digest>} (about a second) and
   * reused while the source and the jar are the same.
   */
  static synchronized Class<?> load(String className, String source, String name, ClassLoader s3proxyLoader,
      Path s3proxyJar, Path workDir) {
    List<Object> key = List.of(s3proxyLoader, className, source);
    Class<?> loaded = LOADED.get(key);
    if (loaded == null) {
      loaded = compileAndLoad(className, source, name, s3proxyLoader, s3proxyJar, workDir);
      LOADED.put(key, loaded);
    }
    return loaded;
  }

  private static Class<?> compileAndLoad(String className, String source, String name, ClassLoader s3proxyLoader,
      Path s3proxyJar, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path classes = workDir.resolve(name + "-" + digest(source, s3proxyJar));
      Path compiled = classes.resolve(className.replace('.', '/') + ".class");
      if (!Files.isRegularFile(compiled)) {
        compile(className, source, name, s3proxyJar, classes);
      }
      URLClassLoader loader = new URLClassLoader("s3proxy-" + name, new URL[] {classes.toUri().toURL()},
          s3proxyLoader);
      return loader.loadClass(className);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Compiled " + className + " but cannot load it", e);
    }
  }

  private static void compile(String className, String source, String name, Path s3proxyJar, Path classes)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("No Java compiler in this JVM (" + System.getProperty("java.home")
          + "): run the tests on a JDK, not a JRE");
    }
    Path sources = Files.createTempDirectory(classes.getParent(), name + "-src");
    Path file = sources.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
    Files.writeString(file, source);
    // Compiled aside and moved into place, so a concurrent test JVM never loads half a class.
    Path staging = Files.createTempDirectory(classes.getParent(), name + "-classes");
    int status = javac.run(null, null, System.err, "-proc:none", "-nowarn", "--release", "17",
        "-classpath", s3proxyJar.toString(), "-d", staging.toString(), file.toString());
    if (status != 0) {
      throw new IllegalStateException("Cannot compile " + className + " against " + s3proxyJar
          + " (javac exit " + status + "): see the errors above");
    }
    Files.delete(file);
    Files.delete(sources);
    try {
      Files.move(staging, classes);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // Another test JVM compiled the same source first: use its classes.
    }
  }

  /** The jar's size and modification time with the source: recompile when either changes. */
  private static String digest(String source, Path s3proxyJar) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(source.getBytes(StandardCharsets.UTF_8));
      sha.update((Files.size(s3proxyJar) + " " + Files.getLastModifiedTime(s3proxyJar))
          .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
