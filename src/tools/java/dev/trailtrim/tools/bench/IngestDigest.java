package dev.trailtrim.tools.bench;

import dev.trailtrim.catalog.EventTranslator;
import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.ingest.CloudTrailFileParser;
import dev.trailtrim.ingest.CloudTrailFiles;
import dev.trailtrim.ingest.FileIngestor;
import dev.trailtrim.ingest.IngestStats;
import dev.trailtrim.model.CloudTrailEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes everything the ingest path makes of a set of files, one line per fact, and prints its
 * SHA-256: per file, each parsed record as the parser built it, its translation (outcome, rule,
 * accesses, or the reason it is unmapped), each reject, each usage the ingestor hands its sink,
 * and the file's {@link IngestStats} as JSON. A speed-up of the ingest path must leave the digest
 * of the bench corpus and of real captures unchanged; the text file shows where two runs differ.
 *
 * <p>Usage: {@code IngestDigest OUT.txt DIR_OR_FILE...}
 */
public final class IngestDigest {

  private IngestDigest() {}

  public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
    if (args.length < 2) {
      System.err.println("Usage: IngestDigest OUT.txt DIR_OR_FILE...");
      System.exit(2);
    }
    EventTranslator translator = EventTranslator.create(IamCatalog.loadDefault());
    FileIngestor ingestor = new FileIngestor(translator, null, Long.MAX_VALUE);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long files = 0;
    long lines = 0;
    try (BufferedWriter out = Files.newBufferedWriter(Paths.get(args[0]), StandardCharsets.UTF_8)) {
      for (int a = 1; a < args.length; a++) {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(Paths.get(args[a]))) {
          paths = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path path : paths) {
          files++;
          byte[] raw = Files.readAllBytes(path);
          StringBuilder text = new StringBuilder();
          text.append("FILE ").append(path).append('\n');
          CloudTrailFiles.Decoded decoded = CloudTrailFiles.decode(raw, Long.MAX_VALUE);
          if (decoded.reject() == null) {
            CloudTrailFileParser.ParsedFile parsed = CloudTrailFileParser.parse(decoded.json());
            text.append("PARSED ").append(parsed.fileReject()).append(' ').append(parsed.detail()).append('\n');
            parsed.recordRejects().forEach(r -> text.append("REJECT ").append(r).append('\n'));
            for (CloudTrailEvent event : parsed.records()) {
              text.append("EVENT ").append(event).append('\n');
              text.append("TRANSLATION ").append(translator.translate(event)).append('\n');
            }
          }
          IngestStats stats = new IngestStats(20);
          ingestor.ingest(path.toString(), raw, stats,
              (role, access, errorCode, time) -> text.append("USAGE ").append(role).append(' ').append(access)
                  .append(' ').append(errorCode)
                  .append(' ').append(time).append('\n'));
          text.append("STATS ").append(stats.toJson()).append('\n');
          String chunk = text.toString();
          sha.update(chunk.getBytes(StandardCharsets.UTF_8));
          out.write(chunk);
          lines += chunk.chars().filter(c -> c == '\n').count();
        }
      }
    }
    System.out.println("DIGEST " + HexFormat.of().formatHex(sha.digest()) + " files=" + files + " lines=" + lines);
  }
}
