package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.policy.Patterns.Variables;
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
  })
  void provesContainmentOrSaysNo(String granted, String candidate, boolean expected) {
    assertEquals(expected, Patterns.resourceCovers(granted, candidate, Variables.MATCH_NOTHING));
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
}
