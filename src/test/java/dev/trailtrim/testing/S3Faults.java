package dev.trailtrim.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What an {@link S3ProxyServer#startWithFaults} server does wrong, and what it did: rules match
 * requests by operation and {@code bucket/key}, and either fail the first attempts at each object
 * (transient) or every attempt (persistent). Every request the rules are asked about is logged,
 * so a test can tell a retry (the same request again after a fault) from a request made once.
 * Rules can change while the server runs. Thread-safe.
 */
public final class S3Faults implements Function<String, String> {

  /** The requests rules can match; multipart uploads count as PUT, bulk deletes as one DELETE. */
  public enum Op {
    LIST, HEAD, GET, PUT, COPY, DELETE
  }

  /** What a rule does to a matching request. */
  public record Fault(String spec) {

    /** HTTP 503 with S3's {@code SlowDown} error: throttling, retried by every S3 client. */
    public static final Fault SLOW_DOWN = error(503, "SlowDown", "Please reduce your request rate.");
    /** HTTP 500 {@code InternalError}, which S3 asks clients to retry. */
    public static final Fault INTERNAL_ERROR = error(500, "InternalError",
        "We encountered an internal error. Please try again.");

    public static Fault error(int status, String code, String message) {
      return new Fault("error " + status + " " + code + " " + message);
    }

    /**
     * A GET whose body stops at byte {@code offset} of the object (a ranged GET from there on gets no
     * body), after which the server closes the connection.
     */
    public static Fault cutAt(long offset) {
      return new Fault("cut " + offset);
    }

    /** The request is served, {@code millis} late. */
    public static Fault delay(long millis) {
      return new Fault("delay " + millis);
    }

    /** Whether the request fails (an error or a cut), not only comes late. */
    public boolean fails() {
      return !spec.startsWith("delay ");
    }

    @Override
    public String toString() {
      return spec.startsWith("error ") ? spec.split(" ")[1] + " " + spec.split(" ")[2] : spec;
    }
  }

  /** One request as the server saw it, when ({@link System#nanoTime()}), with the fault it got (null: served normally). */
  public record Request(Op op, String object, String range, Fault fault, long nanos) {}

  /** {@code oneIn}: only objects whose name hashes to 0 modulo it (String's hash: the same in every JVM). */
  private record Rule(Op op, Pattern object, int attemptsPerObject, Fault fault, int oneIn) {
    boolean matches(Op requestOp, String requestObject) {
      return op == requestOp && object.matcher(requestObject).matches()
          && Math.floorMod(requestObject.hashCode(), oneIn) == 0;
    }
  }

  private final List<Rule> rules = new ArrayList<>();
  private final Map<String, Integer> faultsPerObject = new HashMap<>();
  private final List<Request> requests = new ArrayList<>();

  /**
   * Fails the first {@code attempts} requests of {@code op} on each object whose {@code bucket/key}
   * matches {@code objectRegex}; the next attempt at it is served.
   */
  public S3Faults transientFault(Op op, String objectRegex, int attempts, Fault fault) {
    return transientFault(op, objectRegex, attempts, fault, 1);
  }

  /** As {@link #transientFault(Op, String, int, Fault)}, on about one in {@code oneIn} of the matching objects. */
  public synchronized S3Faults transientFault(Op op, String objectRegex, int attempts, Fault fault, int oneIn) {
    rules.add(new Rule(op, Pattern.compile(objectRegex), attempts, fault, oneIn));
    return this;
  }

  /** Fails every request of {@code op} on objects matching {@code objectRegex}, until {@link #clear()}. */
  public synchronized S3Faults persistentFault(Op op, String objectRegex, Fault fault) {
    rules.add(new Rule(op, Pattern.compile(objectRegex), Integer.MAX_VALUE, fault, 1));
    return this;
  }

  /** No more faults; the log of requests stays. */
  public synchronized void clear() {
    rules.clear();
    faultsPerObject.clear();
  }

  /** Every request asked about, in order, since the start or {@link #resetLog()}. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  public synchronized void resetLog() {
    requests.clear();
  }

  /** The requests that failed (an error or a cut). */
  public List<Request> failed() {
    return requests().stream().filter(r -> r.fault() != null && r.fault().fails()).toList();
  }

  /**
   * Per {@code op fault}: how many requests got it, how many of those were retried (the same operation on
   * the same object asked again later) and how long after, e.g.
   * {@code GET cut 512 -> 9 injected, 9 retried (60 ms later on average, at most 210)}.
   */
  public Map<String, String> retrySummary() {
    List<Request> all = requests();
    Map<String, long[]> counts = new TreeMap<>();
    for (int i = 0; i < all.size(); i++) {
      Request r = all.get(i);
      if (r.fault() == null || !r.fault().fails()) {
        continue;
      }
      long[] c = counts.computeIfAbsent(r.op() + " " + r.fault(), k -> new long[4]);
      c[0]++;
      for (int j = i + 1; j < all.size(); j++) {
        if (all.get(j).op() == r.op() && all.get(j).object().equals(r.object())) {
          c[1]++;
          long waited = (all.get(j).nanos() - r.nanos()) / 1_000_000;
          c[2] = Math.max(c[2], waited);
          c[3] += waited;
          break;
        }
      }
    }
    Map<String, String> summary = new TreeMap<>();
    counts.forEach((k, c) -> summary.put(k, c[0] + " injected, " + c[1] + " retried (" + c[3] / Math.max(1, c[1])
        + " ms later on average, at most " + c[2] + ")"));
    return summary;
  }

  /** The failed requests that no later request of the same operation on the same object made good. */
  public List<Request> notRecovered() {
    List<Request> all = requests();
    List<Request> lost = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Request r = all.get(i);
      if (r.fault() == null || !r.fault().fails()) {
        continue;
      }
      boolean recovered = false;
      for (int j = i + 1; j < all.size() && !recovered; j++) {
        Request later = all.get(j);
        recovered = later.op() == r.op() && later.object().equals(r.object())
            && (later.fault() == null || !later.fault().fails());
      }
      if (!recovered) {
        lost.add(r);
      }
    }
    return lost;
  }

  /** Called by the server's store for each request: {@code OP bucket/key[ range]}. */
  @Override
  public synchronized String apply(String request) {
    String[] parts = request.split(" ", 3);
    Op op = Op.valueOf(parts[0]);
    String object = parts[1];
    Fault fault = null;
    // The first rule that matches decides; once its attempts are used up, the request is served.
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      if (rule.matches(op, object)) {
        String key = i + " " + op + " " + object;
        int done = faultsPerObject.getOrDefault(key, 0);
        if (done < rule.attemptsPerObject()) {
          faultsPerObject.put(key, done + 1);
          fault = rule.fault();
        }
        break;
      }
    }
    requests.add(new Request(op, object, parts.length > 2 ? parts[2] : null, fault, System.nanoTime()));
    return fault == null ? null : fault.spec();
  }
}
