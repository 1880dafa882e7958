package dev.trailtrim.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One AWS CLI per test JVM, imported once and forked per call (aws-cli-zygote.py, next to this class):
 * the {@code aws} in {@link #binDir()} forwards its arguments, working folder, environment and standard
 * streams to it, and the forked child runs {@code awscli.clidriver.main()} as the real {@code aws} does.
 * Empty where {@code python3} on the PATH cannot import awscli (AWS CLI v2, no Python) or
 * {@code -Dtrailtrim.awscli.server=false}: callers then run the {@code aws} on the PATH.
 */
final class AwsCliServer {

  private static final String SCRIPT = "aws-cli-zygote.py";
  private static final long START_SECONDS = 60;
  /** The services the tests' scripts call, whose data files the server reads once for all calls. */
  private static final List<String> WARM_SERVICES = List.of("iam", "s3");
  private static Optional<Path> binDir;

  private AwsCliServer() {}

  /** The folder whose {@code aws} (and {@code python3}) go first on a script's PATH; started on first use. */
  static synchronized Optional<Path> binDir() {
    if (binDir == null) {
      binDir = Boolean.parseBoolean(System.getProperty("trailtrim.awscli.server", "true")) ? start() : Optional.empty();
    }
    return binDir;
  }

  private static Optional<Path> start() {
    try {
      Path dir = Files.createTempDirectory("trailtrim-aws-cli");
      Path bin = Files.createDirectories(dir.resolve("bin"));
      Path script = dir.resolve(SCRIPT);
      try (InputStream in = AwsCliServer.class.getResourceAsStream(SCRIPT)) {
        Files.copy(in, script);
      }
      List<String> command = new ArrayList<>(List.of("python3", script.toString(), dir.resolve("socket").toString(),
          bin.toString()));
      command.addAll(WARM_SERVICES);
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
      // Warming up reads no configuration of the machine; every call brings its own environment.
      builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
      builder.environment().put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
      builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
      Process server;
      try {
        server = builder.start();
      } catch (IOException e) {
        System.err.println("AwsCliServer: cannot run python3 (" + e.getMessage() + "); every call runs the aws on the"
            + " PATH");
        return Optional.empty();
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.destroy();
        try {
          // Waited for, so its CPU time counts in this JVM's (and the build's) children's.
          server.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "aws-cli-server-stop"));
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> firstLine(server.getInputStream()));
      String line = ready.get(START_SECONDS, TimeUnit.SECONDS);
      if (!"ready".equals(line)) {
        server.destroyForcibly();
        System.err.println("AwsCliServer: python3 " + script + " did not start (its output: " + line
            + "); every call runs the aws on the PATH");
        return Optional.empty();
      }
      return Optional.of(bin);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the AWS CLI server: " + e.getMessage(), e);
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("AwsCliServer: no answer from python3 " + SCRIPT + " within " + START_SECONDS + " s (" + e
          + "); every call runs the aws on the PATH");
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String firstLine(InputStream in) {
    StringBuilder line = new StringBuilder();
    try {
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
    } catch (IOException e) {
      return "(" + e.getMessage() + ")";
    }
    return line.toString();
  }
}
