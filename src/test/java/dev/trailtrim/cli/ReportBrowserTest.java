package dev.trailtrim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.testing.HeadlessChromium;
import dev.trailtrim.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample run's report.html in a real browser (Debian's chromium, headless): its script runs
 * without errors, every role is on the page, sorting works, and it looks like something (the
 * screenshot README shows; {@code -Dtrailtrim.update.screenshot=true} writes it to docs/report.png).
 * Skipped where no chromium is installed ({@code .ci/run} installs it).
 */
@Slow
class ReportBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ROW = Pattern.compile("<tr data-order=\"\\d+\" data-role=\"([^\"]+)\">\\s*"
      + "<td[^>]*>.*?</td>\\s*<td[^>]*>.*?</td>\\s*<td[^>]*>.*?</td>\\s*<td class=\"num[^\"]*\" data-sort=\"(\\d+)\"",
      Pattern.DOTALL);

  @TempDir
  static Path work;
  static HeadlessChromium chromium;
  static Path page;
  static List<String> roles = new ArrayList<>();

  @BeforeAll
  static void runTheSamples() throws IOException {
    Path executable = HeadlessChromium.find();
    assumeTrue(executable != null, "no chromium on the PATH (apt-get install -y chromium; .ci/run does it)");
    chromium = HeadlessChromium.at(executable, work);
    Path run = JobRuns.sampleRun().runDir();
    page = run.resolve("report.html");
    for (Map.Entry<String, String> file : JobRuns.files(run).entrySet()) {
      if (file.getKey().startsWith("roles/")) {
        JsonNode report = JSON.readTree(file.getValue());
        roles.add(report.path("accountId").asText() + "/" + report.path("roleName").asText());
      }
    }
  }

  @Test
  void thePageLoadsWithoutErrorsAndShowsEveryRole() throws Exception {
    String dom = chromium.dumpDom(page.toUri().toString());
    assertTrue(dom.contains("<body data-script=\"ready\">"), "the script ran to its end: "
        + dom.substring(0, Math.min(dom.length(), 3000)));
    assertFalse(dom.contains("class=\"script-status error\""), "no script error shown");
    assertTrue(dom.contains("id=\"script-status\" class=\"script-status\" hidden=\"\""), "the not-run note hidden");
    long lambdaRoles = 0;
    for (var role : new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        JobRuns.sampleLogs().resolve("ground-truth.json").toFile()).path("roles")) {
      lambdaRoles += role.path("lambdaExecutionRole").asBoolean() ? 1 : 0;
    }
    assertEquals(lambdaRoles, roles.size(), "one report per Lambda role of the ground truth: " + roles);
    for (String role : roles) {
      assertEquals(2, dom.split("data-role=\"" + role + "\"", -1).length - 1, role + ": its row and its section");
    }
  }

  /** The marker the other tests rely on: a script that fails says so, on the page and in the DOM. */
  @Test
  void aFailingScriptShowsAVisibleError() throws Exception {
    Path broken = work.resolve("broken.html");
    String html = Files.readString(page);
    assertTrue(html.contains("<table id=\"overview\""));
    Files.writeString(broken, html.replace("<table id=\"overview\"", "<table id=\"renamed\""));
    String dom = chromium.dumpDom(broken.toUri().toString());
    assertTrue(dom.contains("<body data-script=\"error\">"), dom.substring(0, Math.min(dom.length(), 3000)));
    assertTrue(dom.contains("class=\"script-status error\">The page's script failed ("), "shown on the page");
  }

  @Test
  void sortingByAColumnReordersTheOverview() throws Exception {
    String dom = chromium.dumpDom(page.toUri() + "#sort=unused-desc");
    assertTrue(dom.contains("data-sorted-by=\"unused-desc\""), "the script sorted by the column the address names");
    List<Long> unused = new ArrayList<>();
    List<String> order = new ArrayList<>();
    Matcher row = ROW.matcher(dom);
    while (row.find()) {
      order.add(row.group(1));
      unused.add(Long.parseLong(row.group(2)));
    }
    assertEquals(roles.size(), unused.size(), dom);
    List<Long> descending = new ArrayList<>(unused);
    descending.sort((a, b) -> Long.compare(b, a));
    assertEquals(descending, unused, "rows by unused actions, most first: " + order);
    assertTrue(descending.get(0) > descending.get(descending.size() - 1));

    String ascending = chromium.dumpDom(page.toUri() + "#sort=role-asc");
    List<String> names = new ArrayList<>();
    Matcher byName = ROW.matcher(ascending);
    while (byName.find()) {
      names.add(byName.group(1));
    }
    assertEquals(roles.stream().sorted().toList(), names);
  }

  @Test
  void screenshotShowsThePage() throws Exception {
    Path png = work.resolve("report.png");
    chromium.screenshot(page.toUri().toString(), png, 1400, 1000);
    long size = Files.size(png);
    // A blank page is about 6 KB; the overview with its colours is far more.
    assertTrue(size > 40_000, "a screenshot of " + size + " bytes looks blank");
    Files.copy(png, Path.of("target", "report.png"), StandardCopyOption.REPLACE_EXISTING);
    if (Boolean.getBoolean("trailtrim.update.screenshot")) {
      Path docs = JobRuns.projectDir().resolve("docs/report.png");
      Files.createDirectories(docs.getParent());
      Files.copy(png, docs, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
