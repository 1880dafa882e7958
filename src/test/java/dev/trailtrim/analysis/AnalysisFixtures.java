package dev.trailtrim.analysis;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.grants.GrantedPolicy;
import dev.trailtrim.grants.RoleGrants;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.ActionUsage;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.model.Observability;
import dev.trailtrim.model.ObservationWindow;
import dev.trailtrim.model.RoleContext;
import dev.trailtrim.model.RoleUsage;
import dev.trailtrim.model.Visibility;
import dev.trailtrim.policy.PolicyParser;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** A small hand-made role shared by the analysis and report tests. */
public final class AnalysisFixtures {

  public static final String ROLE_ARN = "arn:aws:iam::111122223333:role/service-role/orders-fn";
  public static final long DAY_1 = 1_717_200_000_000L; // 2024-06-01T00:00:00Z
  public static final long HOUR = 3_600_000L;

  private AnalysisFixtures() {}

  /** Data events of S3 are not in the trail; logs:PutLogEvents is never logged; DynamoDB data events are. */
  public static final Observability OBSERVABILITY = new Observability() {
    @Override
    public Visibility visibility(IamAction action, String resource) {
      if (action.key().equals("s3:getobject")) {
        return Visibility.DATA_EVENT_NOT_LOGGED;
      }
      if (action.key().equals("logs:putlogevents")) {
        return Visibility.NOT_LOGGED;
      }
      if (action.service().equals("dynamodb") && action.name().endsWith("Item")) {
        return Visibility.DATA_EVENT_LOGGED;
      }
      return Visibility.MANAGEMENT_EVENT;
    }

    @Override
    public String reason(IamAction action, String resource) {
      return switch (visibility(action, resource)) {
        case DATA_EVENT_NOT_LOGGED -> "the trail records no S3 data events";
        case NOT_LOGGED -> "CloudTrail does not record " + action;
        case DATA_EVENT_LOGGED -> "the trail records DynamoDB data events";
        case MANAGEMENT_EVENT -> "a management event, always recorded";
        default -> "the logs are incomplete";
      };
    }
  };

  public static RoleContext context() {
    return new RoleContext(ROLE_ARN, "111122223333", "orders-fn",
        new ObservationWindow(LocalDate.of(2024, 6, 1), LocalDate.of(2024, 6, 30)),
        "trust policy allows lambda.amazonaws.com");
  }

  private static GrantedPolicy inline(String name, String statements) {
    return new GrantedPolicy(GrantedPolicy.Kind.INLINE, name, null,
        PolicyParser.parse(("{'Version':'2012-10-17','Statement':[" + statements + "]}").replace('\'', '"')));
  }

  public static RoleGrants grants() {
    GrantedPolicy basic = new GrantedPolicy(GrantedPolicy.Kind.MANAGED, "AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        PolicyParser.parse(("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':['logs:CreateLogGroup',"
            + "'logs:CreateLogStream','logs:PutLogEvents'],'Resource':'*'}]}").replace('\'', '"')));
    return new RoleGrants(ROLE_ARN, "orders-fn", "/service-role/", "111122223333", Set.of("lambda.amazonaws.com"),
        List.of(
            inline("orders-db", "{'Sid':'OrdersTable','Effect':'Allow','Action':['dynamodb:GetItem','dynamodb:PutItem',"
                + "'dynamodb:DeleteItem'],'Resource':'arn:aws:dynamodb:eu-west-1:111122223333:table/orders'}"),
            inline("files", "{'Sid':'ReadInput','Effect':'Allow','Action':['s3:GetObject','s3:ListBucket'],"
                + "'Resource':['arn:aws:s3:::orders-in','arn:aws:s3:::orders-in/*']},"
                + "{'Effect':'Allow','Action':'s3:ListAllMyBuckets','Resource':'arn:aws:s3:::orders-in'}"),
            basic),
        null, List.of());
  }

  static ActionUsage usage(String action, String resource, String errorCode, long count, long first, long last) {
    return new ActionUsage(new ActionOnResource(IamAction.parse(action), resource), errorCode, count, first, last);
  }

  public static RoleUsage usage() {
    return new RoleUsage(ROLE_ARN, List.of(
        usage("dynamodb:getitem", "arn:aws:dynamodb:eu-west-1:111122223333:table/orders", null, 10, DAY_1,
            DAY_1 + 5 * HOUR),
        usage("logs:PutLogEvents", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/orders-fn:log-stream:a",
            null, 40, DAY_1, DAY_1 + 6 * HOUR),
        usage("logs:CreateLogStream",
            "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/orders-fn:log-stream:a",
            null, 1, DAY_1, DAY_1),
        usage("s3:PutObject", "arn:aws:s3:::orders-in/x.json", "AccessDenied", 2, DAY_1 + HOUR, DAY_1 + 2 * HOUR),
        usage("sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:orders", null, 3, DAY_1 + 3 * HOUR,
            DAY_1 + 4 * HOUR)));
  }

  public static RoleAnalysis analysis() {
    return RoleAnalyzer.analyze(context(), grants(), usage(), IamCatalog.loadDefault(), OBSERVABILITY);
  }

  /**
   * {@link #analysis()} as it is when its suggestion fails SuggestionCheck: withheld, with the decision that says so.
   * Built by hand: the tightener passes the check on every input the tests know (TighteningInvariantsPropertyTest).
   */
  public static RoleAnalysis withheldBySelfCheck() {
    RoleAnalysis analysis = analysis();
    return RoleAnalysis.builder(analysis.context()).grants(analysis.granted(), analysis.roleCreateDate())
        .used(analysis.findings().used()).decision(RoleAnalyzer.selfCheckFailed("The suggested policy",
            List.of("it allows s3:DeleteObject on arn:aws:s3:::orders-in/*, which the role's grants do not")))
        .build();
  }
}
