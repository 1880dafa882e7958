package dev.trailtrim.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.policy.CanonicalJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One run at a time per output (and per state location outside it): {@code <location>/lock.json},
 * created only where none exists, naming its holder. On S3 the create is a PutObject with
 * {@code If-None-Match: *} (S3 refuses it with 412 when the key exists), on a local disk a
 * {@code CREATE_NEW} open; either way exactly one of two runs racing for an output gets it.
 *
 * <p>A lock whose holder is provably gone (same host, no such process) or that is older than
 * {@code lock.max.age.hours} no longer holds: the next run replaces it, and only one run can: on
 * S3 the replace is a PutObject with {@code If-Match: <the ETag read>}; locally it happens under an
 * OS file lock on {@code .lock.json.guard}, which the OS releases if the process dies. The holder
 * deletes its lock when the run ends, whatever happened, and only while it still names itself.
 */
public final class OutputLock implements AutoCloseable {

  static final String FILE_NAME = "lock.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A lock that keeps changing under us is given up on after this many looks. */
  private static final int MAX_ATTEMPTS = 5;

  /** Who holds a location: enough to tell whether it is still there. */
  public record Holder(String host, long pid, String runId, Instant startedAt) {

    public Holder {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(startedAt, "startedAt");
    }

    /** This JVM on this host, running {@code runId}. */
    public static Holder thisProcess(String runId, Instant startedAt) {
      return new Holder(localHost(), ProcessHandle.current().pid(), runId, startedAt);
    }

    String toJson() {
      ObjectNode node = JSON.createObjectNode();
      node.put("host", host);
      node.put("pid", pid);
      node.put("runId", runId);
      node.put("startedAt", startedAt.toString());
      return CanonicalJson.write(node);
    }

    /** The holder a lock's content names, or null when it names none (being written, or damaged). */
    static Holder parse(byte[] content) {
      try {
        JsonNode node = JSON.readTree(content);
        if (node == null || !node.path("host").isTextual() || !node.path("pid").canConvertToLong()
            || !node.path("runId").isTextual() || !node.path("startedAt").isTextual()) {
          return null;
        }
        return new Holder(node.get("host").asText(), node.get("pid").asLong(), node.get("runId").asText(),
            Instant.parse(node.get("startedAt").asText()));
      } catch (IOException | DateTimeParseException e) {
        return null;
      }
    }

    /** For messages: {@code run R (host H, process P, started T)}. */
    public String describe() {
      return "run " + runId + " (host " + host + ", process " + pid + ", started " + startedAt + ")";
    }
  }

  /** The location is held by another run that is not provably gone. The message names it. */
  public static final class HeldException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    HeldException(String message) {
      super(message);
    }
  }

  private final List<Acquired> acquired;
  private final Consumer<String> log;

  private OutputLock(List<Acquired> acquired, Consumer<String> log) {
    this.acquired = acquired;
    this.log = log;
  }

  /**
   * Locks every location in order (the output, then a state location outside it), or none: if
   * one is held, those already taken are released before the {@link HeldException} is thrown.
   *
   * @param maxAge a lock older than this (by its holder's start time) no longer holds
   * @param log    where a takeover is reported
   */
  public static OutputLock acquire(Configuration conf, List<String> locations, Holder me, Duration maxAge,
      Consumer<String> log) throws IOException {
    List<Acquired> acquired = new ArrayList<>();
    try {
      for (String location : locations) {
        acquired.add(acquireOne(store(conf, location), me, maxAge, log));
      }
    } catch (IOException | RuntimeException e) {
      new OutputLock(acquired, log).close();
      throw e;
    }
    return new OutputLock(acquired, log);
  }

  private static Acquired acquireOne(Store store, Holder me, Duration maxAge, Consumer<String> log)
      throws IOException {
    byte[] mine = me.toJson().getBytes(StandardCharsets.UTF_8);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (store.createIfAbsent(mine)) {
        return new Acquired(store, me);
      }
      Existing existing = store.read();
      if (existing == null) {
        continue; // released between our create and our read: try again
      }
      Holder holder = Holder.parse(existing.content());
      String gone = whyGone(holder, existing, maxAge, Instant.now());
      if (gone == null) {
        throw new HeldException(heldMessage(store, holder, existing, maxAge));
      }
      if (store.replace(existing, mine)) {
        log.accept("trailtrim: took over the lock " + store.location() + " of "
            + (holder == null ? "an unreadable holder" : holder.describe()) + ": " + gone);
        return new Acquired(store, me);
      }
      // Another run replaced or released it after we read it: look again.
    }
    throw new IOException("Cannot lock " + store.location() + ": it changed " + MAX_ATTEMPTS
        + " times while trying; other runs keep starting on this output");
  }

  /** Why a lock no longer holds, or null while it does. */
  static String whyGone(Holder holder, Existing existing, Duration maxAge, Instant now) {
    Instant since = holder != null ? holder.startedAt() : existing.modified();
    if (since != null && Duration.between(since, now).compareTo(maxAge) > 0) {
      return "it is older than lock.max.age.hours (" + maxAge.toHours() + " hours, since " + since + ")";
    }
    if (holder != null && holder.host().equalsIgnoreCase(localHost()) && !isAlive(holder.pid())) {
      return "its process " + holder.pid() + " on this host is gone";
    }
    return null;
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static String heldMessage(Store store, Holder holder, Existing existing, Duration maxAge) {
    String who = holder != null ? holder.describe()
        : "a holder it does not name (unreadable lock, written " + existing.modified() + ")";
    return "cannot run: " + store.output() + " is held by " + who
        + ": wait for that run to end; a lock is taken over once its"
        + " process is gone (same host) or it is older than lock.max.age.hours (" + maxAge.toHours()
        + "); delete " + store.location() + " only if that run is surely gone";
  }

  /** Releases every lock taken, the last first. Never throws: a lock left behind is reported. */
  @Override
  public void close() {
    for (int i = acquired.size() - 1; i >= 0; i--) {
      Acquired lock = acquired.get(i);
      try {
        if (!lock.release()) {
          log.accept("trailtrim: warning: " + lock.store().location() + " no longer names this run (taken over"
              + " as stale); left as it is");
        }
      } catch (IOException | RuntimeException e) {
        log.accept("trailtrim: warning: cannot release " + lock.store().location() + " (" + e.getMessage()
            + "); the next run takes it over once this process is gone (same host) or it is older than"
            + " lock.max.age.hours");
      }
    }
    acquired.clear();
  }

  /** The host name a lock records, and compares with to tell whether its holder runs here. */
  static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String fromEnvironment = System.getenv("HOSTNAME");
      return fromEnvironment == null || fromEnvironment.isBlank() ? "unknown-host" : fromEnvironment;
    }
  }

  /** One lock this process holds. */
  private record Acquired(Store store, Holder holder) {
    boolean release() throws IOException {
      Existing existing = store.read();
      if (existing == null || !holder.equals(Holder.parse(existing.content()))) {
        return existing == null;
      }
      return store.delete(existing);
    }
  }

  /**
   * A lock as read: its bytes, the version a conditional replace or delete names (the ETag on
   * S3; size, time and file key locally), and when it was written.
   */
  record Existing(byte[] content, String version, Instant modified) {}

  private static Store store(Configuration conf, String location) throws IOException {
    Path path = HadoopFiles.toPath(location);
    String scheme = path.toUri().getScheme();
    if ("file".equals(scheme)) {
      return new LocalStore(location, java.nio.file.Path.of(path.toUri()));
    }
    if ("s3".equals(scheme) || "s3a".equals(scheme) || "s3n".equals(scheme)) {
      return new S3Store(conf, location, path);
    }
    throw new IllegalArgumentException("Cannot lock '" + location + "': runs lock their output with a conditional"
        + " create, which trailtrim does on local folders and S3 (s3://, s3a://) only; write --output and --state"
        + " there");
  }

  /** Where a lock lives, with the three atomic operations the protocol needs. */
  private interface Store {
    /** The output as the user named it, for messages. */
    String output();

    /** The lock's own location, for messages. */
    String location();

    /** Creates the lock with {@code content} if there is none; false if there is one. */
    boolean createIfAbsent(byte[] content) throws IOException;

    /** The lock as it is now, or null if there is none. */
    Existing read() throws IOException;

    /** Replaces the lock with {@code content} only if it is still {@code expected}. */
    boolean replace(Existing expected, byte[] content) throws IOException;

    /** Deletes the lock only if it is still {@code expected}. */
    boolean delete(Existing expected) throws IOException;
  }

  /**
   * On a local disk: {@code CREATE_NEW} creates atomically; replace and delete check the version
   * and act under an OS lock on a guard file (released by the OS if the process dies), so two runs
   * taking over the same stale lock cannot both succeed.
   */
  private static final class LocalStore implements Store {
    /** FileChannel locks belong to the JVM: threads of one JVM queue here first. */
    private static final Map<java.nio.file.Path, Object> GUARDS_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final String output;
    private final java.nio.file.Path folder;
    private final java.nio.file.Path lock;

    LocalStore(String output, java.nio.file.Path folder) {
      if (Files.exists(folder) && !Files.isDirectory(folder)) {
        throw new IllegalArgumentException("'" + output + "' is a file, not a folder: pass --output (and --state)"
            + " a folder, where runs/ and latest.json go");
      }
      this.output = output;
      this.folder = folder;
      this.lock = folder.resolve(FILE_NAME);
    }

    @Override
    public String output() {
      return output;
    }

    @Override
    public String location() {
      return lock.toUri().toString();
    }

    @Override
    public boolean createIfAbsent(byte[] content) throws IOException {
      Files.createDirectories(folder);
      try (OutputStream out = Files.newOutputStream(lock, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          StandardOpenOption.SYNC)) {
        out.write(content);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }

    @Override
    public Existing read() throws IOException {
      try {
        BasicFileAttributes attributes = Files.readAttributes(lock, BasicFileAttributes.class);
        byte[] content = Files.readAllBytes(lock);
        return new Existing(content, attributes.fileKey() + " " + attributes.lastModifiedTime().toMillis() + " "
            + Arrays.hashCode(content), attributes.lastModifiedTime().toInstant());
      } catch (NoSuchFileException e) {
        return null;
      }
    }

    @Override
    public boolean replace(Existing expected, byte[] content) throws IOException {
      return underGuard(() -> {
        if (!sameAs(expected)) {
          return false;
        }
        java.nio.file.Path temporary = folder.resolve("." + FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
        Files.write(temporary, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.SYNC);
        Files.move(temporary, lock, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return true;
      });
    }

    @Override
    public boolean delete(Existing expected) throws IOException {
      return underGuard(() -> sameAs(expected) && Files.deleteIfExists(lock));
    }

    private boolean sameAs(Existing expected) throws IOException {
      Existing now = read();
      return now != null && now.version().equals(expected.version())
          && Arrays.equals(now.content(), expected.content());
    }

    private interface GuardedAction {
      boolean run() throws IOException;
    }

    private boolean underGuard(GuardedAction action) throws IOException {
      java.nio.file.Path guard = folder.resolve("." + FILE_NAME + ".guard");
      synchronized (GUARDS_IN_THIS_JVM.computeIfAbsent(guard.toAbsolutePath(), g -> new Object())) {
        try (FileChannel channel = FileChannel.open(guard, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.lock()) {
          return action.run();
        }
      }
    }
  }

  /**
   * On S3, through the SDK (s3a has no conditional create): PutObject with {@code If-None-Match: *}
   * creates, PutObject and DeleteObject with {@code If-Match: <ETag>} replace and delete only the
   * lock that was read. S3 answers a lost race with 412 (or 409 while another conditional write
   * to the key is in flight).
   */
  private static final class S3Store implements Store {
    private final Configuration conf;
    private final String output;
    private final String bucket;
    private final String outputKey;
    private final String key;
    private final String location;

    S3Store(Configuration conf, String output, Path path) {
      this.conf = conf;
      this.output = output;
      this.bucket = path.toUri().getAuthority();
      if (bucket == null || bucket.isEmpty()) {
        throw new IllegalArgumentException(
            "S3 location '" + output + "' names no bucket: write s3://<bucket>/<prefix>");
      }
      String prefix = path.toUri().getPath().replaceAll("^/+", "").replaceAll("/+$", "");
      this.outputKey = prefix;
      this.key = prefix.isEmpty() ? FILE_NAME : prefix + "/" + FILE_NAME;
      this.location = path.toUri().getScheme() + "://" + bucket + "/" + key;
    }

    @Override
    public String output() {
      return output;
    }

    @Override
    public String location() {
      return location;
    }

    private interface Call<T> {
      T run(S3Client s3) throws IOException;
    }

    private <T> T call(String what, Call<T> call) throws IOException {
      try (S3Connection connection = S3Connection.open(conf, bucket, 1)) {
        return call.run(connection.client());
      } catch (SdkException e) {
        String hint = e instanceof S3Exception s3 && s3.statusCode() == 403
            ? ": access denied, check that the job's role may s3:PutObject, s3:GetObject and s3:DeleteObject there"
            : "";
        throw new IOException("Cannot " + what + " " + location + hint + " (" + e.getMessage() + ")", e);
      }
    }

    private static boolean lostRace(S3Exception e) {
      return e.statusCode() == 412 || e.statusCode() == 409;
    }

    @Override
    public boolean createIfAbsent(byte[] content) throws IOException {
      return call("create", s3 -> {
        if (!outputKey.isEmpty() && isObject(s3, outputKey)) {
          throw new IllegalArgumentException("'" + output + "' is an object, not a folder: pass --output (and --state)"
              + " a prefix, where runs/ and latest.json go");
        }
        try {
          s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*").contentType("application/json"),
              RequestBody.fromBytes(content));
          return true;
        } catch (S3Exception e) {
          if (lostRace(e)) {
            return false;
          }
          if (e.statusCode() == 501) {
            throw new IOException("The S3 endpoint of " + location + " does not support conditional writes"
                + " (If-None-Match), which the output lock needs: write --output to Amazon S3 or an endpoint that"
                + " does", e);
          }
          throw e;
        }
      });
    }

    private boolean isObject(S3Client s3, String objectKey) {
      try {
        s3.headObject(b -> b.bucket(bucket).key(objectKey));
        return true;
      } catch (NoSuchKeyException e) {
        return false;
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          return false;
        }
        throw e;
      }
    }

    @Override
    public Existing read() throws IOException {
      return call("read", s3 -> {
        try {
          ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
          return new Existing(object.asByteArray(), object.response().eTag(), object.response().lastModified());
        } catch (NoSuchKeyException e) {
          return null;
        } catch (S3Exception e) {
          if (e.statusCode() == 404) {
            return null;
          }
          throw e;
        }
      });
    }

    @Override
    public boolean replace(Existing expected, byte[] content) throws IOException {
      return call("replace", s3 -> {
        try {
          s3.putObject(b -> b.bucket(bucket).key(key).ifMatch(expected.version()).contentType("application/json"),
              RequestBody.fromBytes(content));
          return true;
        } catch (S3Exception e) {
          if (lostRace(e) || e.statusCode() == 404) {
            return false;
          }
          throw e;
        }
      });
    }

    @Override
    public boolean delete(Existing expected) throws IOException {
      return call("delete", s3 -> {
        try {
          s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch(expected.version()));
          return true;
        } catch (S3Exception e) {
          if (lostRace(e)) {
            return false;
          }
          if (e.statusCode() == 404) {
            return true;
          }
          if (e.statusCode() == 501) {
            // An endpoint without conditional deletes: the lock was ours a moment ago.
            s3.deleteObject(b -> b.bucket(bucket).key(key));
            return true;
          }
          throw e;
        }
      });
    }
  }
}
