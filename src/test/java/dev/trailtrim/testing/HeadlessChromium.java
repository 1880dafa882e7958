package dev.trailtrim.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} run headless on a local file, under a timeout, with no network use of
 * its own (no sync, component updates or background requests). {@code .ci/run} installs it; tests
 * skip themselves where {@link #find()} finds none.
 */
public final class HeadlessChromium {

  private static final long TIMEOUT_SECONDS = 90;

  private final Path executable;
  private final Path work;

  private HeadlessChromium(Path executable, Path work) {
    this.executable = executable;
    this.work = work;
  }

  /** {@code -Dtrailtrim.chromium=PATH}, else the first of chromium, chromium-browser on the PATH; null if none. */
  public static Path find() {
    String configured = System.getProperty("trailtrim.chromium");
    if (configured != null && !configured.isBlank()) {
      return Files.isExecutable(Path.of(configured)) ? Path.of(configured) : null;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** @param work where its profile and output files go */
  public static HeadlessChromium at(Path executable, Path work) {
    return new HeadlessChromium(executable, work);
  }

  /** The page's DOM after its scripts ran. */
  public String dumpDom(String url) throws IOException, InterruptedException {
    Path dom = work.resolve("dom-" + System.nanoTime() + ".html");
    run(dom, "--dump-dom", url);
    return Files.readString(dom, StandardCharsets.UTF_8);
  }

  /** A PNG of the page's top, {@code width} x {@code height} pixels. */
  public void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
    run(work.resolve("screenshot-" + System.nanoTime() + ".out"), "--hide-scrollbars", "--screenshot=" + png,
        "--window-size=" + width + "," + height, url);
  }

  private void run(Path stdout, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + work.resolve("profile")));
    command.addAll(List.of(arguments));
    Path stderr = work.resolve("chromium-" + System.nanoTime() + ".err");
    Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
        .start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IOException("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command + "\n"
          + tail(stderr));
    }
    if (process.exitValue() != 0) {
      throw new IOException("chromium exited with " + process.exitValue() + ": " + command + "\n" + tail(stderr));
    }
  }

  private static String tail(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return text.substring(Math.max(0, text.length() - 2000));
  }
}
