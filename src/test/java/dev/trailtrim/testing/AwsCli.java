package dev.trailtrim.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs scripts that call the real AWS CLI, against local endpoints only: dummy credentials, no
 * config or credentials file of the machine, no pager. Tests skip (by assumption) when no
 * {@code aws} is on the PATH.
 *
 * <p>Where the CLI is the awscli Python package, its calls go to one {@link AwsCliServer} that forks
 * the already imported CLI per call (about a tenth of the CPU of a fresh {@code aws});
 * {@code -Dtrailtrim.awscli.server=false} runs the {@code aws} on the PATH for every call instead.
 */
public final class AwsCli {

  private AwsCli() {}

  /** What a process printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String all() {
      return stdout + stderr;
    }
  }

  /** Whether an {@code aws} command runs here. */
  public static boolean available() {
    try {
      Process process = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code command} in {@code directory} with the local-only AWS environment plus {@code extraEnv}. */
  public static Result run(Path directory, Map<String, String> extraEnv, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("AWS_"));
    env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", directory.resolve("no-aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", directory.resolve("no-aws-credentials").toString());
    env.put("AWS_PAGER", "");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.putAll(extraEnv);
    AwsCliServer.binDir().ifPresent(bin -> env.put("PATH", bin + java.io.File.pathSeparator + env.get("PATH")));
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      // Read both streams at once, so neither fills its pipe and blocks the script.
      var stderr = new java.util.concurrent.CompletableFuture<String>();
      Thread reader = new Thread(() -> {
        try {
          stderr.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          stderr.completeExceptionally(e);
        }
      });
      reader.start();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException("Timed out after 5 minutes: " + command);
      }
      reader.join();
      return new Result(process.exitValue(), stdout, stderr.join());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command, e);
    }
  }
}
