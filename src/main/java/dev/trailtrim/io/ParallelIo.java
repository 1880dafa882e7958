package dev.trailtrim.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many small reads or listings at once: on S3 each is a request of tens of milliseconds, so a
 * hundred of them one after the other cost seconds of every run.
 */
public final class ParallelIo {

  /** One item's I/O. */
  @FunctionalInterface
  public interface Call<T, R> {
    R apply(T item) throws IOException;
  }

  private ParallelIo() {}

  /**
   * {@code call} of every item, on up to {@code threads} daemon threads named {@code threadName}, the results in the
   * items' order. The first failure in the items' order is thrown (an I/O error as it is, anything else inside an
   * IOException) and the calls not yet started are cancelled.
   */
  public static <T, R> List<R> map(List<T> items, int threads, String threadName, Call<T, R> call)
      throws IOException {
    if (items.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())), r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<R>> results = new ArrayList<>(items.size());
      for (T item : items) {
        results.add(pool.submit(() -> call.apply(item)));
      }
      List<R> values = new ArrayList<>(items.size());
      for (Future<R> result : results) {
        values.add(result.get());
      }
      return values;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting for " + threadName);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
