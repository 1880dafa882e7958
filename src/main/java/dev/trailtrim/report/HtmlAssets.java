package dev.trailtrim.report;

/**
 * The style sheet and the script inlined into {@code report.html}: the page loads nothing from
 * elsewhere. The script only sorts the overview; it marks the page {@code data-script="ready"}
 * once set up (or {@code "error"}, with a visible message), which the browser test reads.
 */
final class HtmlAssets {

  private HtmlAssets() {}

  static final String CSS = """
      :root { --fg: #1b2330; --muted: #5d6877; --line: #dde2e9; --bg: #f4f6f9; --card: #fff; --accent: #1f5fbf; }
      * { box-sizing: border-box; }
      body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
        sans-serif; color: var(--fg); background: var(--bg); }
      header { display: flex; gap: 20px; align-items: center; background: #16202f; color: #e9eef5; padding: 14px 28px; }
      header .brand { font-weight: 700; font-size: 20px; letter-spacing: .5px; color: #fff; padding: 4px 10px;
        border: 2px solid #7fb0ff; border-radius: 6px; }
      header h1 { margin: 0; font-size: 18px; font-weight: 600; color: #fff; }
      header p { margin: 2px 0 0; color: #b8c4d4; font-size: 13px; }
      header b { color: #fff; font-weight: 600; }
      main { padding: 18px 28px 8px; max-width: 1500px; }
      h2 { font-size: 17px; margin: 22px 0 10px; }
      h3 { font-size: 14px; margin: 16px 0 6px; color: #2c3747; }
      code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
      a { color: var(--accent); text-decoration: none; }
      a:hover { text-decoration: underline; }
      .hint, .muted, .note, .sub { color: var(--muted); font-weight: normal; }
      .note { font-size: 12.5px; margin: 6px 0; }
      .sub { font-size: 12px; }
      .script-status { margin: 0; padding: 8px 28px; background: #fff4d6; color: #5c4300; }
      .script-status.error { background: #ffe0e0; color: #8a1010; font-weight: 600; }
      .glance { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 12px; }
      .tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
      .tile .fig { font-size: 24px; font-weight: 700; white-space: nowrap; }
      .tile .what { font-weight: 600; }
      .tile .detail { color: var(--muted); font-size: 12px; }
      .riskbar h2 { font-size: 14px; margin: 16px 0 6px; }
      .riskbar .bar { display: flex; height: 26px; border-radius: 6px; overflow: hidden;
        border: 1px solid var(--line); }
      .riskbar .seg { display: flex; align-items: center; justify-content: center; font-size: 12px; font-weight: 600;
        white-space: nowrap; overflow: hidden; padding: 0 6px; }
      table { border-collapse: collapse; background: var(--card); }
      .overview { width: 100%; border: 1px solid var(--line); border-radius: 8px; }
      .overview th, .overview td { padding: 7px 10px; border-bottom: 1px solid var(--line); text-align: left;
        vertical-align: middle; }
      .overview thead th { background: #e9edf3; font-size: 12.5px; white-space: nowrap; }
      .overview thead th[data-key] { cursor: pointer; user-select: none; }
      .overview thead th[data-key]:hover { background: #dde4ee; }
      .overview thead th[aria-sort=descending]::after { content: " ▼"; font-size: 10px; }
      .overview thead th[aria-sort=ascending]::after { content: " ▲"; font-size: 10px; }
      .overview tbody tr:hover { background: #f7f9fc; }
      th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
      td.zero { color: #a3acb8; }
      .keep { margin: 3px 0 0 auto; width: 110px; height: 5px; background: #f3c9c4; border-radius: 3px; }
      .keep span { display: block; height: 5px; background: #2e8b57; border-radius: 3px; }
      .risk { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
        white-space: nowrap; }
      .risk-privilege-escalation { background: #7a0d1c; color: #fff; }
      .risk-permissions-management { background: #c62f2f; color: #fff; }
      .risk-write { background: #ee8a2b; color: #fff; }
      .risk-tagging { background: #f3c64b; color: #3b2d00; }
      .risk-read { background: #5b8fd6; color: #fff; }
      .risk-list { background: #9bb6d8; color: #13263f; }
      .risk-unknown { background: #8b95a3; color: #fff; }
      .risk-not-effective, .risk-none { background: #e3e7ec; color: #4a5563; }
      .flag { display: inline-block; margin: 1px 0; padding: 1px 7px; border-radius: 4px; font-size: 12px;
        background: #fff1d0; color: #6b4b00; border: 1px solid #f0d58a; }
      svg rect { fill: #3d7bd9; }
      svg.spark { vertical-align: middle; background: #f1f4f8; }
      svg .axis { stroke: #9aa5b4; stroke-width: 1; }
      svg .lbl { font-size: 10px; fill: var(--muted); }
      .role { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 4px 20px 12px;
        margin: 22px 0; }
      .role h2 { margin-top: 14px; }
      .role h2 .acct { color: var(--muted); font-weight: normal; }
      .arn { margin: -6px 0 6px; color: var(--muted); font: 12px ui-monospace, Menlo, Consolas, monospace;
        overflow-wrap: anywhere; }
      .facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
      .facts dt { color: var(--muted); }
      .facts dd { margin: 0; overflow-wrap: anywhere; }
      .cols { display: grid; grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr); gap: 24px; }
      .cols3 { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 24px; }
      .plan { margin: 4px 0; padding-left: 22px; }
      .plan li { margin: 3px 0; }
      .problem { background: #fff1f0; border-left: 4px solid #c62f2f; padding: 6px 10px; margin: 8px 0; }
      .top { margin: 4px 0; padding-left: 0; list-style: none; }
      .top li { margin: 3px 0; }
      .top code { margin-right: 8px; }
      details { margin: 8px 0; border: 1px solid var(--line); border-radius: 6px; background: #fbfcfd; }
      details > summary { cursor: pointer; padding: 6px 10px; font-weight: 600; }
      details[open] > summary { border-bottom: 1px solid var(--line); }
      .diff pre { margin: 0; padding: 8px 0; overflow-x: auto; max-height: 560px; }
      .diff pre span { display: inline-block; min-width: 100%; padding: 0 12px; white-space: pre; }
      .diff .rem { background: #ffeceb; color: #8c1c13; }
      .diff .add { background: #e7f6ea; color: #11602c; }
      .diff .same { color: #3c4654; }
      .diff .file { font-weight: 700; }
      .diff .fold { color: var(--muted); background: #f0f2f5; font-style: italic; }
      table.list { width: 100%; font-size: 12.5px; }
      table.list.narrow { width: auto; min-width: 420px; }
      table.list th, table.list td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left;
        vertical-align: top; overflow-wrap: break-word; }
      table.list th { background: #f0f3f7; white-space: nowrap; }
      table.list td:first-child { white-space: nowrap; }
      td.rule { font: 12px ui-monospace, Menlo, Consolas, monospace; color: #2c4a7a; white-space: nowrap; }
      table.counts th { text-align: left; font-weight: normal; color: var(--muted); padding: 2px 16px 2px 0; }
      table.counts td { padding: 2px 0; }
      table.counts tr.inner th { padding-left: 16px; }
      .run-summary { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
        padding: 4px 20px 12px; }
      .back { font-size: 12.5px; margin: 10px 0 0; }
      footer { padding: 12px 28px 24px; color: var(--muted); font-size: 12px; }
      @media (max-width: 1100px) { .glance { grid-template-columns: repeat(3, minmax(0, 1fr)); }
        .cols, .cols3 { grid-template-columns: 1fr; } }
      """;

  /** Sorting only. {@code #sort=<column>-asc|-desc} in the address sorts at load (the browser test uses it). */
  static final String SCRIPT = """
      (function () {
        "use strict";
        var body = document.body;
        var status = document.getElementById("script-status");
        function fail(message) {
          body.setAttribute("data-script", "error");
          status.textContent = "The page's script failed (" + message + "): the overview cannot be sorted."
            + " Everything on the page is still complete.";
          status.className = "script-status error";
          status.hidden = false;
        }
        window.addEventListener("error", function (event) { fail(event.message); });
        try {
          var table = document.getElementById("overview");
          var headers = table.tHead.rows[0].cells;
          var value = function (row, column) {
            var cell = row.cells[column];
            var key = cell.getAttribute("data-sort");
            return key === null ? cell.textContent : key;
          };
          var sortBy = function (column, descending) {
            var numeric = headers[column].getAttribute("data-type") === "number";
            var tbody = table.tBodies[0];
            var rows = Array.prototype.slice.call(tbody.rows);
            rows.sort(function (a, b) {
              var x = value(a, column);
              var y = value(b, column);
              var order = numeric ? parseFloat(x) - parseFloat(y) : (x < y ? -1 : (x > y ? 1 : 0));
              if (order === 0) {
                return parseInt(a.getAttribute("data-order"), 10) - parseInt(b.getAttribute("data-order"), 10);
              }
              return descending ? -order : order;
            });
            rows.forEach(function (row) { tbody.appendChild(row); });
            for (var i = 0; i < headers.length; i++) {
              headers[i].removeAttribute("aria-sort");
            }
            headers[column].setAttribute("aria-sort", descending ? "descending" : "ascending");
            table.setAttribute("data-sorted-by", headers[column].getAttribute("data-key")
              + (descending ? "-desc" : "-asc"));
          };
          Array.prototype.forEach.call(headers, function (header, column) {
            if (!header.hasAttribute("data-key")) {
              return;
            }
            header.tabIndex = 0;
            var toggle = function () {
              var current = header.getAttribute("aria-sort");
              var descending = current === null ? header.getAttribute("data-type") === "number"
                : current === "ascending";
              sortBy(column, descending);
            };
            header.addEventListener("click", toggle);
            header.addEventListener("keydown", function (event) {
              if (event.key === "Enter" || event.key === " ") {
                event.preventDefault();
                toggle();
              }
            });
          });
          var wanted = /^#sort=([a-z-]+)-(asc|desc)$/.exec(window.location.hash);
          if (wanted) {
            Array.prototype.forEach.call(headers, function (header, column) {
              if (header.getAttribute("data-key") === wanted[1]) {
                sortBy(column, wanted[2] === "desc");
              }
            });
          }
          status.hidden = true;
          body.setAttribute("data-script", "ready");
        } catch (error) {
          fail(error.message);
        }
      })();
      """;
}
