package dev.trailtrim.policy;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.ActionOnResource;
import dev.trailtrim.model.IamAction;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * CPU seconds of {@link PolicyTightener#tighten} on fixed workloads, for before/after comparisons on a shared
 * machine (CPU time of this thread, not wall time): {@code property} is TighteningInvariantsPropertyTest's 500
 * generated cases (tighten only, no invariant checks); {@code tables} is PolicySplitterTest's role of 700 tables
 * (split into managed policies); {@code wide} is a large role whose {@code NotAction} statement is kept as granted
 * within a boundary (thousands of kept actions); {@code wide-checked} is {@code wide} and its {@link SuggestionCheck}.
 * Also prints a digest of every rendered result, which must not
 * change when only speed does.
 *
 * <p>Usage: {@code java -cp target/classes:target/test-classes:$(cat target/classpath.txt)
 * dev.trailtrim.policy.TightenBench [rounds=5] [workload,...]}
 */
final class TightenBench {

  private static final IamCatalog CATALOG = IamCatalog.loadDefault();

  private TightenBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<String> workloads = List.of((args.length > 1 ? args[1] : "property,tables,wide").split(","));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (String workload : workloads) {
      Runnable run = switch (workload) {
        case "property" -> TightenBench::property;
        case "tables" -> () -> digest = 31 * digest + render(PolicySplitterTest.sevenHundredTables());
        case "wide" -> TightenBench::wide;
        case "wide-checked" -> TightenBench::wideChecked;
        default -> throw new IllegalArgumentException(
            "Unknown workload '" + workload + "': use property, tables, wide or wide-checked");
      };
      run.run(); // warm-up round, not counted
      digest = 0;
      long start = threads.getCurrentThreadCpuTime();
      for (int r = 0; r < rounds; r++) {
        run.run();
      }
      double seconds = (threads.getCurrentThreadCpuTime() - start) / 1e9;
      System.out.printf("%-8s %d rounds: %.2f CPU-s (%.3f per round), digest %08x%n", workload, rounds, seconds,
          seconds / rounds, digest);
    }
  }

  private static int digest;

  private static int render(TighteningResult result) {
    int hash = PolicyJson.render(result.policy()).hashCode();
    for (PolicyDocument part : result.parts()) {
      hash = 31 * hash + PolicyJson.render(part).hashCode();
    }
    return 31 * hash + result.notes().hashCode();
  }

  private static void property() {
    Random random = new Random(20261129L);
    for (int c = 0; c < 500; c++) {
      TighteningInvariantsPropertyTest.TighteningCase tc = TighteningInvariantsPropertyTest.randomCase(random, c);
      digest = 31 * digest + render(PolicyTightener.tighten(tc.granted(), tc.used(), tc.kept(), tc.keepAsIs(),
          CATALOG));
    }
  }

  private static void wide() {
    PolicyDocument identity = PolicyParser.parse(("{'Version':'2012-10-17','Statement':["
        + "{'Effect':'Allow','NotAction':['iam:*','organizations:*'],'Resource':'*'},"
        + "{'Effect':'Allow','Action':['s3:*','dynamodb:*'],'Resource':['arn:aws:s3:::b1/*','arn:aws:s3:::b1',"
        + "'arn:aws:dynamodb:eu-west-1:111:table/T']},"
        + "{'Effect':'Deny','Action':'s3:DeleteBucket','Resource':'*'}]}").replace('\'', '"'));
    PolicyDocument boundary = PolicyParser.parse(("{'Version':'2012-10-17','Statement':["
        + "{'Effect':'Allow','Action':['s3:*','dynamodb:*','sqs:*','logs:*','lambda:*','ec2:Describe*'],"
        + "'Resource':'*'},"
        + "{'Effect':'Allow','Action':['kms:*','sns:*'],'Resource':'arn:aws:*:eu-west-1:111:*'}]}")
        .replace('\'', '"'));
    GrantSet granted = new GrantSet(List.of(new LabeledPolicy("inline:wide", identity)),
        new LabeledPolicy("boundary:b", boundary));
    List<ActionOnResource> used = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      used.add(new ActionOnResource(IamAction.parse(i % 2 == 0 ? "s3:GetObject" : "s3:PutObject"),
          "arn:aws:s3:::b1/data/" + i + ".json"));
    }
    List<KeptPermission> kept = new ArrayList<>();
    StatementRef second = new StatementRef("inline:wide", 2, identity.statements().get(1));
    for (String action : List.of("dynamodb:GetItem", "dynamodb:Query", "s3:GetObjectAcl", "s3:ListBucket")) {
      kept.add(new KeptPermission(IamAction.parse(action), second, KeptPermission.Why.values()[0]));
    }
    StatementRef first = new StatementRef("inline:wide", 1, identity.statements().get(0));
    TighteningResult result = PolicyTightener.tighten(granted, used, kept, List.of(first), CATALOG);
    digest = 31 * digest + render(result);
    if (check) {
      digest = 31 * digest + SuggestionCheck.violations(granted, result.parts(), used, CATALOG).hashCode();
    }
  }

  /** Whether {@link #wide} also runs the {@link SuggestionCheck} every real suggestion passes. */
  private static boolean check;

  /** {@link #wide} and the check of its suggestion: the difference to {@code wide} is what the check costs. */
  private static void wideChecked() {
    check = true;
    try {
      wide();
    } finally {
      check = false;
    }
  }
}
