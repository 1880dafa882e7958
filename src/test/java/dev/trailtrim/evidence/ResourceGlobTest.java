package dev.trailtrim.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trailtrim.policy.Patterns;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResourceGlobTest {

  private static final List<String> PATTERN_PARTS = List.of("arn:", "aws", ":", "s3", "*", "?", "/", "a", "b",
      "${*}", "${$}", "x", "us-east-1", "lambda", "function", "::");
  private static final List<String> TEXT_PARTS = List.of("arn:", "aws", ":", "s3", "/", "a", "b", "*", "$", "x",
      "us-east-1", "lambda", "function", "::", "?");

  /** Seeded: 20,000 random pattern and text pairs, built from pieces that make colons and wildcards meet. */
  @Test
  void matchesExactlyWhatThePolicyEvaluatorMatches() {
    Random random = new Random(20261129L);
    int agreed = 0;
    for (int i = 0; i < 20_000; i++) {
      String pattern = join(random, PATTERN_PARTS, 1 + random.nextInt(9));
      String text = join(random, TEXT_PARTS, 1 + random.nextInt(10));
      if (random.nextInt(4) == 0) {
        text = "arn:aws:s3:::" + text;
        pattern = "arn:aws:s3:::" + pattern;
      }
      ResourceGlob glob = ResourceGlob.compile(pattern);
      boolean ours = glob != null && glob.matches(text);
      assertEquals(Patterns.resourceMatches(pattern, text, Patterns.Variables.MATCH_NOTHING), ours,
          "pattern '" + pattern + "' on '" + text + "'");
      agreed++;
    }
    assertEquals(20_000, agreed);
  }

  @Test
  void rendersBackOnlyWhenTheTextMeansTheSame() {
    ResourceGlob objects = ResourceGlob.compile("arn:aws:s3:::*/*");
    assertEquals("arn:aws:s3:::secret/*", ResourceGlob.literal("arn:aws:s3:::secret/").then(objects.tail(15)).render());
    assertEquals("arn:aws:s3:::a${*}b${$}/*", ResourceGlob.compile("arn:aws:s3:::a${*}b$/*").render());
    // A region wildcard moved behind a literal with more colons would reach into the resource: no text for that.
    ResourceGlob region = ResourceGlob.compile("arn:aws:sqs:*:111122223333:q");
    assertNull(ResourceGlob.literal("x:y:z:").then(region.tail(12)).render());
    // A short arn: pattern that no longer ends in * matches nothing by IAM's rules.
    assertNull(ResourceGlob.compile("arn:aws:s3*").then(ResourceGlob.literal(":x")).render());
    assertNull(ResourceGlob.compile("arn:aws:s3"));
    assertThrows(IllegalArgumentException.class, () -> ResourceGlob.compile("arn:aws:s3:::b/${aws:username}/*"));
  }

  private static String join(Random random, List<String> parts, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(parts.get(random.nextInt(parts.size())));
    }
    return text.toString();
  }
}
