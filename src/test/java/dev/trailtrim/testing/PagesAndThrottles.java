package dev.trailtrim.testing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every AWS API stand-in here lets a test set: how many items a page holds, and how many of
 * the next requests are throttled. Each server answers a throttled request in its service's own
 * error format.
 */
final class PagesAndThrottles {

  private final AtomicInteger throttlesLeft = new AtomicInteger();
  private volatile int pageSize;

  PagesAndThrottles(int defaultPageSize) {
    this.pageSize = defaultPageSize;
  }

  void setPageSize(int itemsPerPage) {
    if (itemsPerPage < 1) {
      throw new IllegalArgumentException("Page size must be at least 1, got " + itemsPerPage);
    }
    this.pageSize = itemsPerPage;
  }

  int pageSize() {
    return pageSize;
  }

  void throttleNextRequests(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("Number of requests to throttle must be zero or more, got " + n);
    }
    throttlesLeft.set(n);
  }

  /** Whether the request being answered is one to throttle; counts it off if so. */
  boolean throttleThisRequest() {
    return throttlesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }
}
