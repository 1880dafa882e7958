package dev.trailtrim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelIoTest {

  /** Every call runs at once with enough threads: each waits until all have started, so one at a time never ends. */
  @Test
  void callsRunAtOnceAndResultsKeepTheItemsOrder() throws IOException {
    List<Integer> items = IntStream.range(0, 8).boxed().toList();
    CountDownLatch allStarted = new CountDownLatch(items.size());
    List<String> results = ParallelIo.map(items, 8, "test-io", item -> {
      allStarted.countDown();
      try {
        assertTrue(allStarted.await(10, TimeUnit.SECONDS), "all calls started together");
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return "item-" + item;
    });
    assertEquals(items.stream().map(i -> "item-" + i).toList(), results);
  }

  /** The first failure in the items' order is the one thrown: an I/O error as it is, anything else inside one. */
  @Test
  void theFirstFailureInTheItemsOrderIsThrown() throws IOException {
    FileNotFoundException missing = assertThrows(FileNotFoundException.class,
        () -> ParallelIo.map(List.of("a", "missing-b", "missing-c"), 3, "test-io", item -> {
          if (item.startsWith("missing")) {
            throw new FileNotFoundException(item);
          }
          return item;
        }));
    assertEquals("missing-b", missing.getMessage());
    IOException wrapped = assertThrows(IOException.class,
        () -> ParallelIo.map(List.of("x"), 2, "test-io", item -> Integer.parseInt(item)));
    assertTrue(wrapped.getCause() instanceof NumberFormatException, String.valueOf(wrapped.getCause()));
    assertEquals(List.of(), ParallelIo.map(List.<String>of(), 4, "test-io", item -> item));
  }
}
