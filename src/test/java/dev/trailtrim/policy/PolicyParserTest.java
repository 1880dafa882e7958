package dev.trailtrim.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyParserTest {

  /** Documents are written with ' for " to keep the table readable. */
  private static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  static Stream<Arguments> invalidDocuments() {
    return Stream.of(
        Arguments.of("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'},"
            + "{'Sid':'X','Effect':'allow ','Action':'s3:GetObject','Resource':'*'}]}",
            "Cannot parse policy statement 2 (Sid 'X'): Effect must be Allow or Deny, got 'allow '"),
        Arguments.of("{'Statement':{'Action':'s3:GetObject','Resource':'*'}}",
            "Cannot parse policy statement 1: Effect is missing; use Allow or Deny"),
        Arguments.of("{'Statement':{'Effect':true,'Action':'s3:GetObject','Resource':'*'}}",
            "Cannot parse policy statement 1: Effect must be Allow or Deny, got true"),
        Arguments.of("{'Version':'2012-10-18','Statement':[]}",
            "Cannot parse policy: Version must be 2012-10-17 or 2008-10-17, got '2012-10-18'"),
        Arguments.of("{'Version':'2012-10-17'}",
            "Cannot parse policy: missing Statement (an object or a list of objects)"),
        Arguments.of("{'Version':'2012-10-17','Statement':'Allow'}",
            "Cannot parse policy: Statement must be an object or a list of objects, got a string"),
        Arguments.of("{'Version':'2012-10-17','Statment':[]}",
            "Cannot parse policy: unknown element 'Statment'; expected Version, Id, Statement"),
        Arguments.of("['a']",
            "Cannot parse policy: expected a JSON object with Version and Statement, got a list"),
        Arguments.of("{'Statement':['x']}",
            "Cannot parse policy statement 1: expected a JSON object, got a string"),
        Arguments.of("{'Statement':{'Effect':'Allow','Actions':'s3:GetObject','Resource':'*'}}",
            "Cannot parse policy statement 1: unknown element 'Actions'; expected Sid, Effect, Principal, "
                + "NotPrincipal, Action, NotAction, Resource, NotResource, Condition"),
        Arguments.of("{'Statement':{'Sid':5,'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}}",
            "Cannot parse policy statement 1: Sid must be a string, got 5"),
        Arguments.of(
            "{'Statement':{'Sid':'A','Effect':'Allow','Action':'s3:GetObject','NotAction':'s3:Put*','Resource':'*'}}",
            "Cannot parse policy statement 1 (Sid 'A'): has both Action and NotAction; use one of them"),
        Arguments.of("{'Statement':{'Effect':'Allow','Resource':'*'}}",
            "Cannot parse policy statement 1: needs Action or NotAction, e.g. \"Action\": \"s3:GetObject\""),
        Arguments.of("{'Statement':{'Effect':'Allow','Action':[],'Resource':'*'}}",
            "Cannot parse policy statement 1: Action must not be empty; list at least one value"),
        Arguments.of("{'Statement':{'Effect':'Allow','Action':['s3:GetObject',7],'Resource':'*'}}",
            "Cannot parse policy statement 1: Action values must be strings, got 7"),
        Arguments.of("{'Statement':{'Effect':'Allow','Action':{'a':1},'Resource':'*'}}",
            "Cannot parse policy statement 1: Action must be a string or a list of strings, got an object"),
        Arguments.of("{'Statement':{'Effect':'Allow','Action':'s3GetObject','Resource':'*'}}",
            "Cannot parse policy statement 1: Action 's3GetObject' must be '*' or 'service:action', "
                + "e.g. 's3:GetObject' or 's3:Get*'"),
        Arguments.of("{'Statement':{'Effect':'Deny','NotAction':'s3:Get:Object','Resource':'*'}}",
            "Cannot parse policy statement 1: NotAction 's3:Get:Object' must be '*' or 'service:action', "
                + "e.g. 's3:GetObject' or 's3:Get*'"),
        Arguments.of("{'Statement':{'Effect':'Allow','Action':'s3:GetObject'}}",
            "Cannot parse policy statement 1: needs Resource or NotResource (an identity policy must name "
                + "its resources, \"*\" for all)"),
        Arguments.of("{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'*','NotResource':'*'}}",
            "Cannot parse policy statement 1: has both Resource and NotResource; use one of them"),
        Arguments.of("{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'my-bucket/*'}}",
            "Cannot parse policy statement 1: Resource 'my-bucket/*' must be '*' or an ARN such as "
                + "'arn:aws:s3:::my-bucket/*'"),
        Arguments.of("{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'*','Condition':'x'}}",
            "Cannot parse policy statement 1: Condition must be an object of operator to {key: value(s)}, got a string"),
        Arguments.of(
            "{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'*','Condition':{'StringEquals':['a']}}}",
            "Cannot parse policy statement 1: Condition operator 'StringEquals' must map condition keys to values, got a list"),
        Arguments.of(
            "{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'*','Condition':{'StringEqual':{'a':'b'}}}}",
            "Cannot parse policy statement 1: Condition operator 'StringEqual' is not an IAM condition operator; "
                + "use e.g. StringEquals, ArnLike or Bool, optionally with an IfExists suffix or a "
                + "ForAnyValue:/ForAllValues: prefix"),
        Arguments.of(
            "{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'*','Condition':{'StringEquals':{'a':{'b':'c'}}}}}",
            "Cannot parse policy statement 1: Condition value of 'StringEquals' 'a' must be a string, number, "
                + "boolean or a list of them, got an object"),
        Arguments.of(
            "{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'*','Condition':{'Bool':{'a':[null]}}}}",
            "Cannot parse policy statement 1: Condition value of 'Bool' 'a' must be a string, number, "
                + "boolean or a list of them, got null"));
  }

  @ParameterizedTest
  @MethodSource("invalidDocuments")
  void rejectsInvalidDocumentsNamingTheValueAndTheFix(String document, String message) {
    PolicyParseException e = assertThrows(PolicyParseException.class, () -> PolicyParser.parse(json(document)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void rejectsTextThatIsNotJson() {
    PolicyParseException e = assertThrows(PolicyParseException.class, () -> PolicyParser.parse("{\"Version\": "));
    assertTrue(e.getMessage().startsWith("Cannot parse policy: not valid JSON ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("); expected a JSON object with Version and Statement, plain or URL-encoded"),
        e.getMessage());
    assertEquals("Cannot parse policy: the document is empty; expected a JSON object with Version and Statement",
        assertThrows(PolicyParseException.class, () -> PolicyParser.parse(" ")).getMessage());
  }

  @Test
  void parsesTheWholeGrammar() {
    PolicyDocument doc = PolicyParser.parse(json("{'Version':'2012-10-17','Id':'x','Statement':["
        + "{'Sid':'Read','Effect':'Allow','Action':['s3:GetObject','s3:List*'],'Resource':'arn:aws:s3:::b/*',"
        + " 'Condition':{'StringEqualsIfExists':{'aws:RequestedRegion':['eu-west-1','eu-west-2']},"
        + "  'ForAnyValue:StringLike':{'aws:TagKeys':'team*'},'NumericLessThan':{'s3:max-keys':10},"
        + "  'Bool':{'aws:SecureTransport':true}}},"
        + "{'Effect':'Deny','NotAction':'iam:*','NotResource':['arn:aws:iam::1:role/a','arn:aws:iam::1:role/b']}]}"));
    assertEquals("2012-10-17", doc.version());
    assertEquals(2, doc.statements().size());
    Statement read = doc.statements().get(0);
    assertEquals("Read", read.sid());
    assertEquals(Effect.ALLOW, read.effect());
    assertEquals(List.of("s3:GetObject", "s3:List*"), read.actions());
    assertEquals(List.of("arn:aws:s3:::b/*"), read.resources());
    assertEquals("{Bool={aws:SecureTransport=[true]}, ForAnyValue:StringLike={aws:TagKeys=[team*]}, "
        + "NumericLessThan={s3:max-keys=[10]}, StringEqualsIfExists={aws:RequestedRegion=[eu-west-1, eu-west-2]}}",
        read.conditions().toString());
    Statement deny = doc.statements().get(1);
    assertEquals(null, deny.sid());
    assertEquals(Effect.DENY, deny.effect());
    assertEquals(List.of("iam:*"), deny.notActions());
    assertEquals(List.of("arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"), deny.notResources());
  }

  @Test
  void acceptsOldAndMissingVersionsAndStatementObject() {
    assertEquals("2008-10-17", PolicyParser.parse(json(
        "{'Version':'2008-10-17','Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}")).version());
    PolicyDocument noVersion = PolicyParser.parse(json("{'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}"));
    assertEquals(null, noVersion.version());
    assertEquals(1, noVersion.statements().size());
  }

  @Test
  void parsesUrlEncodedDocumentsAsIamsApiReturnsThem() throws Exception {
    String document = json("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'logs:PutLogEvents',"
        + "'Resource':'arn:aws:logs:*:*:log-group:/aws/lambda/a b:*'}]}");
    String encoded = URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    PolicyDocument fromText = PolicyParser.parse(encoded);
    assertEquals(List.of("arn:aws:logs:*:*:log-group:/aws/lambda/a b:*"), fromText.statements().get(0).resources());
    PolicyDocument fromNode = PolicyParser.parse(new ObjectMapper().getNodeFactory().textNode(encoded));
    assertEquals(fromText, fromNode);
  }

  @Test
  void notesPrincipalWithoutFailing() {
    ParsedPolicy parsed = PolicyParser.parseWithNotes(json("{'Version':'2012-10-17','Statement':{'Sid':'P',"
        + "'Effect':'Allow','Principal':{'AWS':'*'},'Action':'s3:GetObject','Resource':'*'}}"));
    assertEquals(List.of("Statement 1 (Sid 'P'): Principal is ignored in an identity policy"), parsed.notes());
  }

  @Test
  void rendersDeterministicallyAndRoundTrips() {
    String source = json("{'Statement':[{'Effect':'Allow','Resource':['arn:aws:s3:::b/*'],'Action':['s3:GetObject'],"
        + "'Sid':'Read','Condition':{'StringEquals':{'aws:x':['1','2']},'Bool':{'aws:SecureTransport':'true'}}},"
        + "{'Effect':'Deny','NotAction':['iam:*','sts:*'],'NotResource':'*'}],'Version':'2012-10-17'}");
    PolicyDocument doc = PolicyParser.parse(source);
    String expected = String.join("\n",
        "{",
        "  \"Version\": \"2012-10-17\",",
        "  \"Statement\": [",
        "    {",
        "      \"Sid\": \"Read\",",
        "      \"Effect\": \"Allow\",",
        "      \"Action\": \"s3:GetObject\",",
        "      \"Resource\": \"arn:aws:s3:::b/*\",",
        "      \"Condition\": {",
        "        \"Bool\": {",
        "          \"aws:SecureTransport\": \"true\"",
        "        },",
        "        \"StringEquals\": {",
        "          \"aws:x\": [",
        "            \"1\",",
        "            \"2\"",
        "          ]",
        "        }",
        "      }",
        "    },",
        "    {",
        "      \"Effect\": \"Deny\",",
        "      \"NotAction\": [",
        "        \"iam:*\",",
        "        \"sts:*\"",
        "      ],",
        "      \"NotResource\": \"*\"",
        "    }",
        "  ]",
        "}",
        "");
    assertEquals(expected, PolicyJson.render(doc));
    assertEquals(doc, PolicyParser.parse(PolicyJson.render(doc)));
    assertEquals(expected.replaceAll("\\s", "").length(), PolicyJson.sizeWithoutWhitespace(doc));
  }
}
