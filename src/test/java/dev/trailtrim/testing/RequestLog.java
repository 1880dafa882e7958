package dev.trailtrim.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an {@link S3ProxyServer} was asked, counted inside the server at its storage layer: every
 * object listing (ListObjects V1 and V2, one entry per page) with the keys and common prefixes it
 * returned, and every GET of an object with how many were in flight at once. A GET is in flight
 * while the store serves it, injected latency included. Thread-safe.
 */
public final class RequestLog {

  /** One page of an object listing: what was asked and what came back. */
  public record Listing(String bucket, String prefix, String delimiter, Integer maxKeys, List<String> keys,
      List<String> commonPrefixes) {

    public Listing {
      prefix = prefix == null ? "" : prefix;
      keys = List.copyOf(keys);
      commonPrefixes = List.copyOf(commonPrefixes);
    }
  }

  private final List<Listing> listings = new ArrayList<>();
  private final AtomicLong gets = new AtomicLong();
  private final List<String> objectsGot = new ArrayList<>();
  private final AtomicInteger getsInFlight = new AtomicInteger();
  private final AtomicInteger maxGetsInFlight = new AtomicInteger();
  private final List<String> objectsPut = new ArrayList<>();
  private final AtomicInteger putsInFlight = new AtomicInteger();
  private final AtomicInteger maxPutsInFlight = new AtomicInteger();

  RequestLog() {
  }

  /** Every listing since the start or the last {@link #reset()}, in the order they completed. */
  public synchronized List<Listing> listings() {
    return List.copyOf(listings);
  }

  /** The listings of one bucket (the shared server serves many tests). */
  public List<Listing> listings(String bucket) {
    return listings().stream().filter(l -> l.bucket().equals(bucket)).toList();
  }

  /** How many object keys all listings returned, summed over pages. */
  public long keysListed() {
    return listings().stream().mapToLong(l -> l.keys().size()).sum();
  }

  public long keysListed(String bucket) {
    return listings(bucket).stream().mapToLong(l -> l.keys().size()).sum();
  }

  public long commonPrefixesListed() {
    return listings().stream().mapToLong(l -> l.commonPrefixes().size()).sum();
  }

  /** Object GETs (whole or ranged), finished or not. */
  public long gets() {
    return gets.get();
  }

  /** The objects GET asked for, as {@code bucket/key}, one entry per GET, under a prefix such as {@code bucket/}. */
  public synchronized List<String> objectsGot(String prefix) {
    return objectsGot.stream().filter(o -> o.startsWith(prefix)).toList();
  }

  /** The most GETs the server was serving at the same moment. */
  public int maxGetsInFlight() {
    return maxGetsInFlight.get();
  }

  /** The objects PUT, as {@code bucket/key}, in the order their PUTs finished (served or failed). */
  public synchronized List<String> objectsPut(String prefix) {
    return objectsPut.stream().filter(o -> o.startsWith(prefix)).toList();
  }

  /** The most PUTs the server was serving at the same moment. */
  public int maxPutsInFlight() {
    return maxPutsInFlight.get();
  }

  public synchronized void reset() {
    listings.clear();
    objectsGot.clear();
    objectsPut.clear();
    gets.set(0);
    maxGetsInFlight.set(getsInFlight.get());
    maxPutsInFlight.set(putsInFlight.get());
  }

  void putStarted() {
    maxPutsInFlight.accumulateAndGet(putsInFlight.incrementAndGet(), Math::max);
  }

  void putFinished(String object) {
    putsInFlight.decrementAndGet();
    synchronized (this) {
      objectsPut.add(object);
    }
  }

  synchronized void listed(Listing listing) {
    listings.add(listing);
  }

  void getStarted(String object) {
    synchronized (this) {
      objectsGot.add(object);
    }
    gets.incrementAndGet();
    maxGetsInFlight.accumulateAndGet(getsInFlight.incrementAndGet(), Math::max);
  }

  void getFinished() {
    getsInFlight.decrementAndGet();
  }
}
