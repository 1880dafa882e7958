package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Patterns.Variables;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatternsTest {

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "*|arn:aws:s3:::b/*|true",
      "arn:aws:s3:::b/*|arn:aws:s3:::b/data/*|true",
      "arn:aws:s3:::b/*|arn:aws:s3:::b/*|true",
      "arn:aws:s3:::b/data/*|arn:aws:s3:::b/*|false",
      "arn:aws:s3:::b/*.json|arn:aws:s3:::b/data/*|false",
      "arn:aws:s3:::b/*/x|arn:aws:s3:::b/data/*|false",
      "arn:aws:s3:::b/d*|arn:aws:s3:::b/data/*|true",
      "arn:aws:s3:::b/data/x|arn:aws:s3:::b/data/x|true",
      "arn:aws:s3:::b/data/?|arn:aws:s3:::b/data/*|false",
      "arn:aws:s3:::*/data/*|arn:aws:s3:::b/data/2024/*|true",
      "arn:aws:s3:::b/a*|arn:aws:s3:::b/a${*}b|true",
      "arn:aws:s3:::b/a?b|arn:aws:s3:::b/a${*}b|true",
      "arn:aws:s3:::b/axb|arn:aws:s3:::b/a${*}b|false",
      "arn:aws:s3:::b/${aws:username}/*|arn:aws:s3:::b/bob/*|false",
      "arn:aws:dynamodb:*:1:table/T/index/*|arn:aws:dynamodb:eu-west-1:1:table/T/index/*|true",
      "arn:aws:dynamodb:*:1:table/T|arn:aws:dynamodb:eu-west-1:1:table/T/index/*|false",
      "arn:aws:dynamodb:*:1:table/T*|arn:aws:dynamodb:eu-west-1:1:table/T/index/*|true",
      // candidates are resource patterns: ? is any one character, * any string, anywhere
      "arn:aws:secretsmanager:*:1:secret:prod/*|arn:aws:secretsmanager:us-east-1:1:secret:prod/db-??????|true",
      "arn:aws:secretsmanager:*:1:secret:prod/db-??????|arn:aws:secretsmanager:us-east-1:1:secret:prod/db-??????|true",
      "arn:aws:secretsmanager:*:1:secret:prod/db-?????|arn:aws:secretsmanager:us-east-1:1:secret:prod/db-??????|false",
      "arn:aws:secretsmanager:*:1:secret:prod/db-Ab3dEf|arn:aws:secretsmanager:us-east-1:1:secret:prod/db-??????|false",
      "arn:aws:s3:::b/*/x|arn:aws:s3:::b/*/x|true",
      "arn:aws:s3:::b/*|arn:aws:s3:::b/*/x|true",
      "arn:aws:s3:::b/*x|arn:aws:s3:::b/*/x|true",
      "arn:aws:s3:::b/*/y|arn:aws:s3:::b/*/x|false",
      "arn:aws:s3:::b/a/*|arn:aws:s3:::b/*/x|false",
      "arn:aws:logs:*:*:log-group:/aws/lambda/f:*|arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f:log-stream:2024/01/01/[${$}LATEST]ab|true",
      "arn:aws:logs:*:*:log-group:/aws/lambda/f:log-stream:*|arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f:log-stream:*|true",
      "arn:aws:logs:*:*:log-group:/aws/lambda/f:log-stream:a*|arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f:log-stream:*|false",
  })
  void provesContainmentOrSaysNo(String granted, String candidate, boolean expected) {
    assertEquals(expected, Patterns.resourceCovers(granted, candidate, Variables.MATCH_NOTHING));
  }

  @ParameterizedTest(name = "{0} may overlap {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "arn:aws:s3:::b/data/*|arn:aws:s3:::b/*|true",
      "arn:aws:s3:::b/*|arn:aws:s3:::b/data/x|true",
      "arn:aws:s3:::b/data/x|arn:aws:s3:::b/data/y|false",
      "arn:aws:s3:::b/*.json|arn:aws:s3:::b/data/*|true",
      "arn:aws:s3:::b/*.json|arn:aws:s3:::b/data/*.csv|false",
      "arn:aws:s3:::c/*|arn:aws:s3:::b/*|false",
      "arn:aws:secretsmanager:*:1:secret:db-OLD*|arn:aws:secretsmanager:eu-west-1:1:secret:db-??????|true",
      "arn:aws:secretsmanager:*:1:secret:db-OLD*|arn:aws:secretsmanager:eu-west-1:1:secret:db-?|false",
      "arn:aws:secretsmanager:*:1:secret:db-Ab3dEf|arn:aws:secretsmanager:eu-west-1:1:secret:db-??????|true",
      "arn:aws:secretsmanager:*:2:secret:db-*|arn:aws:secretsmanager:eu-west-1:1:secret:db-??????|false",
      "arn:aws:s3:::b/a${*}b|arn:aws:s3:::b/a?b|true",
      "arn:aws:s3:::b/a${*}b|arn:aws:s3:::b/axb|false",
      "arn:aws:s3:::b/${aws:username}/*|arn:aws:s3:::b/bob/x|false",
      "arn:*|arn:aws:s3:::b/x|true",
  })
  void decidesOverlapOrSaysMaybe(String pattern, String candidate, boolean expected) {
    assertEquals(expected, Patterns.resourceOverlaps(pattern, candidate, Variables.MATCH_NOTHING));
  }

  @Test
  void aVariableMayOverlapAnythingWhenAskedWhetherADenyMayApply() {
    assertTrue(Patterns.resourceOverlaps("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/bob/x",
        Variables.MATCH_ANYTHING));
  }

  @Test
  void theSameTextInAnOldDocumentIsNotAnEscape() {
    // In a 2008-10-17 document ${*} is the text "${" + wildcard + "}", not a literal star.
    assertEquals(false, Patterns.resourceCovers("arn:aws:s3:::b/k${*}w", "arn:aws:s3:::b/k${*}w", Variables.LITERAL));
    assertEquals(true,
        Patterns.resourceCovers("arn:aws:s3:::b/k${*}w", "arn:aws:s3:::b/k${*}w", Variables.MATCH_NOTHING));
  }

  @ParameterizedTest(name = "escape {0}")
  @CsvSource(delimiter = '|', value = {
      "arn:aws:s3:::b/plain|arn:aws:s3:::b/plain",
      "arn:aws:s3:::b/a*b?c$d|arn:aws:s3:::b/a${*}b${?}c${$}d",
      "*|*",
  })
  void escapesWildcardsOfLiteralResources(String literal, String escaped) {
    assertEquals(escaped, Patterns.escapeLiteral(literal));
    assertEquals(true, Patterns.resourceMatches(escaped, literal, Variables.MATCH_NOTHING));
  }

  /**
   * The fast paths (plain patterns compared as text, the greedy wildcard match, ASCII actions
   * matched in place) give the answers of the general token matcher on random patterns.
   */
  @Test
  void theFastPathsAgreeWithTheGeneralMatcher() {
    Random random = new Random(20261204L);
    List<String> pieces =
        List.of("a", "b", "B", "/", ":", "*", "?", "${*}", "${?}", "${$}", "${aws:username}", "$", "${");
    List<String> prefixes = List.of("", "arn:aws:s3:::", "arn:aws:dynamodb:eu-west-1:1:table/", "arn:aws:s3", "arn:");
    int plain = 0;
    for (int i = 0; i < 20_000; i++) {
      String pattern = pick(random, prefixes) + text(random, pieces, 5);
      String target = random.nextInt(4) == 0 ? pattern : pick(random, prefixes) + text(random, pieces, 5);
      for (Variables variables : Variables.values()) {
        String context = pattern + " / " + target + " / " + variables;
        assertEquals(Patterns.resourceMatchesByTokens(pattern, target, variables),
            Patterns.resourceMatches(pattern, target, variables), "matches " + context);
        assertEquals(Patterns.resourceCoversByTokens(pattern, target, variables),
            Patterns.resourceCovers(pattern, target, variables), "covers " + context);
      }
      plain += pattern.matches("[^*?$]*") ? 1 : 0;
    }
    assertTrue(plain > 1_000, "plain patterns must be exercised, got " + plain);

    List<String> actionPieces = List.of("s3", ":", "get", "Get", "OBJECT", "*", "?", "o", "\u0130");
    for (int i = 0; i < 20_000; i++) {
      String pattern = text(random, actionPieces, 5);
      IamAction action = new IamAction(pick(random, List.of("s3", "S3", "sqs", "\u0130am")),
          pick(random, List.of("GetObject", "getobject", "Get", "Object", "G?t", "x")));
      assertEquals(Patterns.actionMatchesByTokens(pattern, action), Patterns.actionMatches(pattern, action),
          pattern + " / " + action);
    }

    int[] alphabet = {'a', 'b', Patterns.STAR, Patterns.QMARK};
    for (int i = 0; i < 20_000; i++) {
      int[] pattern = random.ints(random.nextInt(7), 0, alphabet.length).map(k -> alphabet[k]).toArray();
      int[] target = random.ints(random.nextInt(7), 'a', 'c').toArray();
      assertEquals(Patterns.nfaMatches(pattern, target), Patterns.wildcardMatches(pattern, target),
          Arrays.toString(pattern) + " / " + Arrays.toString(target));
    }
  }

  private static String pick(Random random, List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static String text(Random random, List<String> pieces, int max) {
    StringBuilder text = new StringBuilder();
    for (int n = random.nextInt(max + 1); n > 0; n--) {
      text.append(pick(random, pieces));
    }
    return text.toString();
  }
}
