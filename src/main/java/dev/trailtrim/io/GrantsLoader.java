package dev.trailtrim.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trailtrim.grants.AuthorizationDetailsParser;
import dev.trailtrim.grants.GrantSnapshot;
import dev.trailtrim.grants.SnapshotFiles;
import dev.trailtrim.policy.CanonicalJson;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/** The roles' grants of a run: from --iam-snapshot files, or read live through the IAM API. */
public final class GrantsLoader {

  private GrantsLoader() {}

  /**
   * Reads the account's roles and policies through the IAM API, and keeps what it read beside
   * the run so the run can be reproduced with --iam-snapshot.
   *
   * @param endpoint the IAM endpoint, or null for AWS's
   */
  public static GrantSnapshot readLive(String endpoint, RunWriter writer) throws IOException {
    ObjectNode details;
    try (LiveIamReader reader = LiveIamReader.connect(endpoint == null ? null : URI.create(endpoint))) {
      details = reader.readAuthorizationDetails();
    }
    writer.write("iam-snapshot.json", CanonicalJson.write(details));
    return AuthorizationDetailsParser.parse(details);
  }

  /**
   * Reads every --iam-snapshot: a file, or a folder whose *.json files are all snapshots. A file
   * that cannot be read costs the roles of its account (snapshotProblems says which), never the run.
   */
  public static GrantSnapshot load(Configuration hadoop, List<String> locations, Consumer<String> log)
      throws IOException {
    List<GrantSnapshot> readable = new ArrayList<>();
    List<SnapshotFiles.Unreadable> unreadable = new ArrayList<>();
    for (String location : locations) {
      for (HadoopFiles.Text text : HadoopFiles.readStrings(hadoop, jsonFilesAt(hadoop, location))) {
        String file = text.location();
        SnapshotFiles.Read read;
        try {
          read = SnapshotFiles.read(file, text.get());
        } catch (IOException e) {
          read = SnapshotFiles.unfetchable(file, "cannot read it: " + e.getMessage());
        }
        if (read.unreadable() != null) {
          unreadable.add(read.unreadable());
          log.accept("trailtrim: IAM snapshot " + file + " could not be read (" + read.unreadable().problem()
              + "); its account's roles have unknown grants, see snapshotProblems in summary.json");
        } else {
          readable.add(read.snapshot());
        }
      }
    }
    if (readable.isEmpty()) {
      log.accept("trailtrim: WARNING: none of the " + unreadable.size() + " IAM snapshot files could be read: every"
          + " role's grants are unknown and no policy is suggested; fix the files named in snapshotProblems");
    }
    return SnapshotFiles.combine(readable, unreadable);
  }

  private static List<String> jsonFilesAt(Configuration hadoop, String location) throws IOException {
    List<String> files;
    try {
      files = HadoopFiles.jsonFilesAt(hadoop, location);
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("IAM snapshot '" + location + "' does not exist: check --iam-snapshot", e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("IAM snapshot folder '" + location + "' has no .json files");
    }
    return files;
  }
}
