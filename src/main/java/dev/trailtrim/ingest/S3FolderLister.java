package dev.trailtrim.ingest;

import dev.trailtrim.io.S3Connection;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists {@code s3://}, {@code s3a://} and {@code s3n://} locations with the SDK's ListObjectsV2:
 * a folder is a key prefix ending in {@code /}, and a listing with delimiter {@code /} returns only
 * the keys directly in it plus its sub-folders as common prefixes, so nothing below is touched.
 * Paths keep the scheme they came with, so Hadoop reads the planned files as before.
 *
 * <p>One client per distinct set of S3 settings (normally one for the whole plan), shared by the
 * planner's threads and closed with this lister.
 */
final class S3FolderLister implements FolderLister {

  private final Configuration conf;
  private final int maxConnections;
  private final Integer pageSize;
  private final Map<String, S3Client> clientsByBucket = new ConcurrentHashMap<>();
  private final Map<S3Connection.Settings, S3Connection> connections = new ConcurrentHashMap<>();

  /** {@code pageSize} null leaves S3's default of 1,000 keys per page; tests make pages small. */
  S3FolderLister(Configuration conf, int maxConnections, Integer pageSize) {
    this.conf = conf;
    this.maxConnections = maxConnections;
    this.pageSize = pageSize;
  }

  static boolean handles(Path path) {
    String scheme = path.toUri().getScheme();
    return scheme != null && (scheme.equals("s3") || scheme.equals("s3a") || scheme.equals("s3n"));
  }

  @Override
  public Location locate(Path path) throws IOException {
    Path dir = folder(path);
    if (exists(dir)) {
      return new Location(dir, true, false, 0);
    }
    String key = key(path);
    if (key.isEmpty()) {
      return Location.missing(path); // an empty or missing bucket
    }
    try {
      HeadObjectResponse head = client(path).headObject(b -> b.bucket(bucket(path)).key(key));
      return new Location(path, true, true, head.contentLength());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Location.missing(path);
      }
      throw failure("read", path, e);
    } catch (SdkException e) {
      throw failure("read", path, e);
    }
  }

  @Override
  public boolean exists(Path dir) throws IOException {
    ListObjectsV2Response first = listPage(dir, b -> b.prefix(prefix(dir)).delimiter("/").maxKeys(1));
    return !first.contents().isEmpty() || !first.commonPrefixes().isEmpty();
  }

  @Override
  public List<Path> directories(Path dir) throws IOException {
    List<Path> folders = new ArrayList<>();
    list(dir, true, page -> {
      for (CommonPrefix prefix : page.commonPrefixes()) {
        folders.add(pathOf(dir, prefix.prefix().substring(0, prefix.prefix().length() - 1)));
      }
    });
    return folders.stream().sorted().toList();
  }

  @Override
  public Listing files(Path dir) throws IOException {
    List<PlannedFile> files = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    list(dir, true, page -> {
      addFiles(dir, page, files);
      // Keys below a sub-prefix ("x.json.gz/part") make a folder here, never a file to read.
      for (CommonPrefix prefix : page.commonPrefixes()) {
        skipped.add(new Skipped(pathOf(dir, prefix.prefix()).toString(), SkipReason.DIRECTORY));
      }
    });
    return new Listing(files, skipped);
  }

  @Override
  public Listing filesUnder(Path dir) throws IOException {
    List<PlannedFile> files = new ArrayList<>();
    list(dir, false, page -> addFiles(dir, page, files));
    return new Listing(files, List.of());
  }

  private void addFiles(Path dir, ListObjectsV2Response page, List<PlannedFile> files) {
    for (S3Object object : page.contents()) {
      if (!object.key().endsWith("/")) { // a "directory marker", not a file
        files.add(new PlannedFile(pathOf(dir, object.key()).toString(), object.size()));
      }
    }
  }

  /** Every page of the listing of {@code dir}'s prefix, with or without the {@code /} delimiter. */
  private void list(Path dir, boolean delimited, Consumer<ListObjectsV2Response> pages) throws IOException {
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page = listPage(dir, b -> {
        b.prefix(prefix(dir)).continuationToken(continuation).maxKeys(pageSize);
        if (delimited) {
          b.delimiter("/");
        }
      });
      pages.accept(page);
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
  }

  private ListObjectsV2Response listPage(Path dir, Consumer<ListObjectsV2Request.Builder> request) throws IOException {
    try {
      return client(dir).listObjectsV2(b -> request.accept(b.bucket(bucket(dir))));
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && "NoSuchBucket".equals(e.awsErrorDetails().errorCode())) {
        return ListObjectsV2Response.builder().build();
      }
      throw failure("list", dir, e);
    } catch (SdkException e) {
      throw failure("list", dir, e);
    }
  }

  private static IOException failure(String what, Path path, SdkException e) {
    String hint = e instanceof S3Exception s3 && s3.statusCode() == 403
        ? ": access denied, check that the job's role may s3:ListBucket and s3:GetObject there"
        : "";
    return new IOException("Cannot " + what + " " + path + " with the S3 API" + hint + " (" + e.getMessage() + ")", e);
  }

  private S3Client client(Path path) throws IOException {
    String bucket = bucket(path);
    S3Client client = clientsByBucket.get(bucket);
    if (client == null) {
      S3Connection.Settings settings = S3Connection.Settings.of(conf, bucket);
      client = connections.computeIfAbsent(settings, s -> S3Connection.open(s, maxConnections)).client();
      clientsByBucket.put(bucket, client);
    }
    return client;
  }

  private static String bucket(Path path) {
    String bucket = path.toUri().getAuthority();
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("S3 location '" + path + "' names no bucket: write s3://<bucket>/<prefix>");
    }
    return bucket;
  }

  /** The object key of a path: its URI path without the leading {@code /}. */
  private static String key(Path path) {
    String key = path.toUri().getPath();
    return key.startsWith("/") ? key.substring(1) : key;
  }

  /** The prefix under which a folder's keys are: its key and {@code /}, or nothing for the bucket itself. */
  private static String prefix(Path dir) {
    String key = key(dir);
    return key.isEmpty() || key.endsWith("/") ? key : key + "/";
  }

  /** The folder form of a location: the bucket root as {@code s3://bucket/}, anything else as is. */
  private static Path folder(Path path) {
    URI uri = path.toUri();
    return uri.getPath().isEmpty() ? new Path(uri.getScheme(), uri.getAuthority(), "/") : path;
  }

  private static Path pathOf(Path under, String key) {
    URI uri = under.toUri();
    return new Path(uri.getScheme(), uri.getAuthority(), "/" + key);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (S3Connection connection : connections.values()) {
      try {
        connection.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    connections.clear();
    clientsByBucket.clear();
    if (first != null) {
      throw first;
    }
  }
}
