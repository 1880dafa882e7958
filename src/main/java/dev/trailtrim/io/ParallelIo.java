package dev.trailtrim.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Many small reads, writes or listings at once: on S3 each is a request of tens of milliseconds, so a
 * hundred of them one after the other cost seconds of every run.
 */
public final class ParallelIo {

  /**
   * Requests the driver keeps in flight to the file system at once, reading or writing (s3a's own
   * connection pool is larger); each may hold one file's bytes.
   */
  public static final int IN_FLIGHT = 16;

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
    ThreadPoolExecutor pool = pool(Math.min(threads, items.size()), threadName);
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

  /**
   * {@code call} of every item, in the items' order, run {@link #IN_FLIGHT} ahead of the caller: at most that many
   * results are held besides the one handed out. {@code call} reports its failures in its result; anything it
   * throws is thrown by {@code next}.
   */
  public static <T, R> Iterable<R> ahead(List<T> items, String threadName, Function<T, R> call) {
    return () -> new Iterator<>() {
      private final ThreadPoolExecutor pool = pool(IN_FLIGHT, threadName);
      private final ArrayDeque<Future<R>> running = new ArrayDeque<>();
      private int submitted;

      @Override
      public boolean hasNext() {
        while (submitted < items.size() && running.size() < IN_FLIGHT) {
          T item = items.get(submitted++);
          running.add(pool.submit(() -> call.apply(item)));
        }
        if (running.isEmpty()) {
          pool.shutdown();
          return false;
        }
        return true;
      }

      @Override
      public R next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        try {
          return running.poll().get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for " + threadName, e);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
      }
    };
  }

  /**
   * Daemon threads named {@code threadName}, at most {@code threads}, that end once idle: a pool left behind (an
   * iteration given up half-way) holds none for long.
   */
  static ThreadPoolExecutor pool(int threads, String threadName) {
    int size = Math.max(1, threads);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        task -> {
          Thread thread = new Thread(task, threadName);
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
