#!/usr/bin/env bash
# Measures how fast trailtrim reads CloudTrail, against the Spark jobs a user would write and a
# no-Spark floor, on a synthetic corpus in CloudTrail's layout (BenchCorpusGenerator). Every job
# runs in a fresh JVM per core count, pinned to that many cores when the machine has more (taskset:
# its JIT and GC threads share them, and the JVM sizes itself for them), and prints wall time,
# records/s, MB/s (uncompressed), CPU time and peak memory; the script prints one table and the ratios against the targets of the
# performance issue. It prints figures and never fails on a slow result.
#
#   scripts/bench.sh                                   # 2048 MB corpus in bench-data/, local[1] and local[2]
#   scripts/bench.sh --uncompressed-mb 100             # a quick, small run
#   scripts/bench.sh --reuse-corpus --jobs "trailtrim floor" --profile
#
# Flags:
#   --uncompressed-mb N   corpus size in MB of JSON (10^6 bytes; default 2048)
#   --cores "LIST"        core counts: Spark local[N], threads for the floor (default "1 2")
#   --reuse-corpus        use the corpus already in --corpus (its manifest says what it holds); a
#                         folder of real logs (DIR/AWSLogs/...) without one is described first
#                         (CorpusManifest writes DIR/corpus.properties) and never written into
#   --jobs "LIST"         any of: trailtrim explicit naive floor ingest e2e s3 (default: all but s3)
#   --xmx SIZE            heap of each job's JVM (default 4g)
#   --corpus DIR          where the corpus is written and read (default bench-data/, git-ignored)
#   --seed N, --min-file-kb N, --max-file-kb N, --roles N, --days N
#                         passed to the corpus generator
#   --s3-latency-ms N     also run trailtrim's read from the in-process S3 server (S3Proxy) answering
#                         every request N ms late, and print records/s and GETs in flight per task
#   --profile             also record trailtrim's measured phase with JFR at the highest core
#                         count and print where its time goes (target/bench/*.jfr)
#   --report-only         print the table of the last run again (target/bench/results.txt)
#
# Jobs: trailtrim = InputPlanner + UsagePipeline with the bundled trailtrim.properties; naive =
# spark.read.json with an inferred schema, explode(Records), groupBy role, eventSource,
# eventName; explicit = the same with an explicit schema; floor = gunzip + Jackson streaming,
# no Spark, one thread per core; ingest = trailtrim's FileIngestor (parse, attribute, translate,
# aggregate) without Spark, one thread per core. floor and ingest also time a second, warm pass
# in the same JVM; s3 = trailtrim's planner and read from S3Proxy through s3a (--s3-latency-ms;
# the server runs in the job's JVM, so its CPU time counts too); e2e = the whole job as
# scripts/run-local.sh runs it (JVM and Spark start, IAM analysis, reports; the sample's IAM
# snapshot, so the corpus's roles come out as observed-only policies), timed from outside, at the
# first core count only, with the steps its last log line times. Logs of every run are in target/bench/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
}

megabytes=2048
cores_list="1 2"
reuse=0
jobs="trailtrim explicit naive floor ingest e2e"
xmx=4g
corpus="$TRAILTRIM_HOME/bench-data"
profile=0
report_only=0
generator_flags=()
s3_latency_ms=
while [ $# -gt 0 ]; do
  case "$1" in
    --uncompressed-mb|--cores|--jobs|--xmx|--corpus|--seed|--min-file-kb|--max-file-kb|--roles|--days|--s3-latency-ms)
      if [ $# -lt 2 ]; then echo "bench: $1 needs a value" >&2; usage; exit 2; fi
      case "$1" in
        --uncompressed-mb) megabytes="$2" ;;
        --cores) cores_list="$2" ;;
        --jobs) jobs="$2" ;;
        --xmx) xmx="$2" ;;
        --corpus) corpus="$2" ;;
        --s3-latency-ms) s3_latency_ms="$2" ;;
        *) generator_flags+=("$1" "$2") ;;
      esac
      shift 2 ;;
    --reuse-corpus) reuse=1; shift ;;
    --profile) profile=1; shift ;;
    --report-only) report_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown flag '$1'" >&2; usage; exit 2 ;;
  esac
done
case "$megabytes" in ''|*[!0-9]*) echo "bench: --uncompressed-mb must be a whole number, got '$megabytes'" >&2; exit 2 ;; esac
for c in $cores_list; do
  case "$c" in ''|*[!0-9]*|0) echo "bench: --cores takes whole numbers >= 1, got '$c'" >&2; exit 2 ;; esac
done
if [ -n "$s3_latency_ms" ]; then
  case "$s3_latency_ms" in *[!0-9]*) echo "bench: --s3-latency-ms must be a whole number of milliseconds, got '$s3_latency_ms'" >&2; exit 2 ;; esac
  case " $jobs " in *" s3 "*) ;; *) jobs="$jobs s3" ;; esac
fi
for job in $jobs; do
  case "$job" in trailtrim|explicit|naive|floor|ingest|e2e|s3) ;; *) echo "bench: unknown job '$job' in --jobs: use trailtrim, explicit, naive, floor, ingest, e2e, s3" >&2; exit 2 ;; esac
done

workdir="$TRAILTRIM_HOME/target/bench"
results="$workdir/results.txt"
manifest() { sed -n "s/^$1=//p" "$corpus/corpus.properties"; }
if [ "$report_only" -eq 1 ]; then
  [ -f "$results" ] || { echo "bench: no $results to report: run scripts/bench.sh first" >&2; exit 2; }
  info() { sed -n "s/^# $1=//p" "$results"; }
  corpus="$(info corpus)"
  cores_list="$(info cores)"
  xmx="$(info xmx)"
  load_before="$(info load_before)"
  load_after="$(info load_after)"
  profile=0
else
  echo "bench: building (scripts/lib.sh trailtrim_compile_tools)" >&2
  trailtrim_compile_tools
  classpath="$(trailtrim_tools_classpath)"
  mkdir -p "$workdir"
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  java_flags=("${JAVA17_SPARK_OPENS[@]}" -Xmx"$xmx" -Dlog4j2.configurationFile="$TRAILTRIM_HOME/conf/log4j2.properties")

  if [ "$reuse" -eq 1 ] && [ -f "$corpus/corpus.properties" ]; then
    echo "bench: reusing the corpus in $corpus" >&2
  elif [ "$reuse" -eq 1 ] && [ -d "$corpus/AWSLogs" ]; then
    echo "bench: describing the logs in $corpus/AWSLogs (CorpusManifest writes $corpus/corpus.properties)" >&2
    java -Xmx"$xmx" -cp "$classpath" dev.trailtrim.tools.bench.CorpusManifest --corpus "$corpus" >&2
  else
    if [ "$reuse" -eq 1 ]; then echo "bench: no corpus in $corpus to reuse: generating one" >&2; fi
    echo "bench: generating $megabytes MB of CloudTrail JSON into $corpus" >&2
    java -Xmx"$xmx" -cp "$classpath" dev.trailtrim.tools.BenchCorpusGenerator \
      --uncompressed-mb "$megabytes" --out "$corpus" ${generator_flags[@]+"${generator_flags[@]}"} >&2
  fi

  class_of() {
    case "$1" in
      trailtrim) echo dev.trailtrim.tools.bench.TrailtrimBench ;;
      explicit) echo dev.trailtrim.tools.bench.ExplicitSchemaBench ;;
      naive) echo dev.trailtrim.tools.bench.NaiveJsonBench ;;
      floor) echo dev.trailtrim.tools.bench.FloorBench ;;
      ingest) echo dev.trailtrim.tools.bench.IngestOnlyBench ;;
      s3) echo dev.trailtrim.tools.bench.S3LatencyBench ;;
    esac
  }

  # "At N cores" means N cores: with more on the machine, a job's JVM is pinned to the first N (taskset), so its JIT
  # compiler and GC threads take their CPU from those cores instead of from idle ones beside them.
  pinned() {
    local cores="$1"; shift
    if [ "$cores" -lt "$(nproc)" ] && command -v taskset >/dev/null 2>&1; then
      taskset -c "0-$(( cores - 1 ))" "$@"
    else
      "$@"
    fi
  }

  # The whole job, JVM start included, timed from outside: wall and CPU (user + system) of every process it starts.
  end_to_end() {
    local cores="$1" log="$2" out="$workdir/e2e-out" timing="$workdir/e2e-time"
    # Built before the clock starts: run-local.sh then finds its jar up to date.
    trailtrim_package >/dev/null
    rm -rf "$out"
    local TIMEFORMAT='%R %U %S'
    if { time TRAILTRIM_CORES="$cores" pinned "$cores" "$TRAILTRIM_HOME/scripts/run-local.sh" --cloudtrail "$corpus/AWSLogs" \
        --iam-snapshot "$TRAILTRIM_HOME/sample-logs/iam" --output "$out" --from "$(manifest from)" --to "$(manifest to)" \
        >"$log" 2>&1; } 2>"$timing"; then
      local records
      records="$(sed -n 's/.*the window holds [0-9]* files, \([0-9]*\) records.*/\1/p' "$log" | head -1)"
      awk -v job=end-to-end -v cores="$cores" -v records="${records:-0}" -v expected="$(manifest records)" \
          -v bytes="$(manifest uncompressedBytes)" '{
        cpu = $2 + $3
        printf "BENCH job=%s cores=%s records=%d records_ok=%s setup_s=0 wall_s=%.3f cpu_s=%.3f rec_per_s=%.3f mb_per_s=%.3f rec_per_cpu_s=%.3f\n",
          job, cores, records, (records == expected ? "true" : "false"), $1, cpu, records / $1, bytes / 1e6 / $1, records / cpu }' "$timing" >> "$log"
    fi
  }

  : > "$results"
  load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  for job in $jobs; do
    for cores in $cores_list; do
      if [ "$job" = e2e ]; then
        log="$workdir/e2e-local$cores.log"
        echo "bench: the whole job (scripts/run-local.sh) with $cores core(s) (log: ${log#"$TRAILTRIM_HOME"/})" >&2
        started=$(date +%s)
        end_to_end "$cores" "$log" || true
        if grep -q '^BENCH ' "$log"; then
          echo "$(grep '^BENCH ' "$log" | tail -1) jvm_s=$(( $(date +%s) - started ))" >> "$results"
        else
          echo "bench: the whole job with $cores core(s) failed; the end of its log:" >&2
          tail -5 "$log" >&2
          echo "BENCH job=end-to-end cores=$cores failed=true" >> "$results"
        fi
        break
      fi
      log="$workdir/$job-local$cores.log"
      echo "bench: $job with $cores core(s) (log: ${log#"$TRAILTRIM_HOME"/})" >&2
      started=$(date +%s)
      job_flags=()
      if [ "$job" = s3 ]; then
        job_flags=(-Dbench.s3.latency.ms="${s3_latency_ms:-30}" -Dtrailtrim.project.dir="$TRAILTRIM_HOME")
      fi
      if pinned "$cores" java "${java_flags[@]}" ${job_flags[@]+"${job_flags[@]}"} -cp "$classpath" "$(class_of "$job")" \
          --corpus "$corpus" --cores "$cores" >"$log" 2>&1 \
          && grep -q '^BENCH ' "$log"; then
        echo "$(grep '^BENCH ' "$log" | tail -1) jvm_s=$(( $(date +%s) - started ))" >> "$results"
      else
        echo "bench: $job with $cores core(s) failed; the end of its log:" >&2
        tail -5 "$log" >&2
        echo "BENCH job=$job cores=$cores failed=true" >> "$results"
      fi
    done
  done
  load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  printf '# corpus=%s\n# cores=%s\n# xmx=%s\n# load_before=%s\n# load_after=%s\n' "$corpus" "$cores_list" "$xmx" \
    "$load_before" "$load_after" >> "$results"
fi
echo
echo "trailtrim bench: $(manifest files) files, $(manifest records) records, $(( $(manifest uncompressedBytes) / 1000000 )) MB" \
  "uncompressed ($(( $(manifest compressedBytes) / 1000000 )) MB gzip'd), $(manifest roles) roles, seed $(manifest seed), $(manifest from)..$(manifest to), in ${corpus#"$TRAILTRIM_HOME"/}"
echo "machine: $(nproc) cores; load average (1/5/15 min) before $load_before, after $load_after; heap -Xmx$xmx per JVM"
awk -v floor_cores="$(echo "$cores_list" | awk '{print $1}')" '
  function val(line, key,   i, n, parts, kv) {
    n = split(line, parts, " ")
    for (i = 2; i <= n; i++) { split(parts[i], kv, "="); if (kv[1] == key) return kv[2] }
    return ""
  }
  !/^BENCH / { next }
  { lines[++n_lines] = $0; job = val($0, "job"); cores = val($0, "cores")
    rate[job "," cores] = val($0, "rec_per_s"); cpu_rate[job "," cores] = val($0, "rec_per_cpu_s") }
  END {
    printf "\n%-16s %5s %9s %9s %10s %8s %7s %11s %6s %6s %9s %9s %7s %6s %s\n", "job", "cores", "wall s", "records", "records/s",
      "MB/s", "CPU s", "rec/CPU-s", "JIT s", "GC s", "heap MB", "RSS MB", "setup s", "JVM s", "records ok"
    for (i = 1; i <= n_lines; i++) {
      line = lines[i]
      if (val(line, "failed") == "true") { printf "%-16s %5s  failed (see target/bench/)\n", val(line, "job"), val(line, "cores"); continue }
      printf "%-16s %5s %9.1f %9d %10.0f %8.2f %7.1f %11.0f %6.1f %6.1f %9d %9d %7.1f %6d %s\n", val(line, "job"), val(line, "cores"),
        val(line, "wall_s"), val(line, "records"), val(line, "rec_per_s"), val(line, "mb_per_s"), val(line, "cpu_s"),
        val(line, "rec_per_cpu_s"), val(line, "cpu_jit_s"), val(line, "cpu_gc_s"),
        val(line, "peak_heap_mb"), val(line, "peak_rss_mb"), val(line, "setup_s"), val(line, "jvm_s"),
        (val(line, "records_ok") == "true" ? "yes" : "NO: records differ from the manifest")
    }
    print "\nwall s: the measured phase (listing, reading, aggregating, collecting), without JVM and Spark start (setup s);"
    print "CPU s: this JVM'"'"'s CPU time in that phase, all threads; rec/CPU-s: records per CPU second, less sensitive to other"
    print "load on the machine; JIT s: of the CPU time, the JIT compiler'"'"'s (a fixed cost that a larger corpus spreads thinner);"
    print "GC s: of the CPU time, the garbage collector'"'"'s threads'"'"' and the VM thread'"'"'s (where the serial collector runs);"
    print "heap MB: peak heap in use (GC notifications + 5 ms samples); RSS MB: peak resident set (VmHWM) of the JVM."
    print "cores: the JVM runs on that many (taskset) when the machine has more; on one core Java picks its serial GC."
    print "end-to-end: the whole job as scripts/run-local.sh runs it, timed from outside: wall and CPU s include JVM and Spark"
    print "start, the IAM analysis and writing the reports (its heap and RSS are not measured)."
    warm = 0
    for (i = 1; i <= n_lines; i++) {
      line = lines[i]; w = val(line, "warm_wall_s"); if (w == "") continue
      if (!warm++) print "second, warm pass in the same JVM (JIT-compiled; not part of the table):"
      printf "  %-16s %s core(s): %9.0f records/s  %9.0f rec/CPU-s\n", val(line, "job"), val(line, "cores"),
        val(line, "records") / w, val(line, "records") / val(line, "warm_cpu_s")
    }
    print "\nagainst the targets (by CPU rate, as the targets are set; by wall-clock rate in brackets):"
    floor1 = rate["floor," floor_cores] / floor_cores; floor1cpu = cpu_rate["floor," floor_cores]
    for (i = 1; i <= n_lines; i++) {
      if (val(lines[i], "job") != "trailtrim" || val(lines[i], "failed") == "true") continue
      c = val(lines[i], "cores"); key = "trailtrim," c
      if (cpu_rate["explicit-schema," c] > 0)
        printf "  trailtrim / explicit-schema job, %s core(s): %6.2fx (%.2fx)  target >= 3x: %s\n", c,
          cpu_rate[key] / cpu_rate["explicit-schema," c], rate[key] / rate["explicit-schema," c],
          (cpu_rate[key] / cpu_rate["explicit-schema," c] >= 3 ? "met" : "NOT met")
      if (rate["naive-inferred," c] > 0)
        printf "  trailtrim / naive inferred-schema job, %s core(s): %6.2fx (%.2fx)\n", c,
          cpu_rate[key] / cpu_rate["naive-inferred," c], rate[key] / rate["naive-inferred," c]
      if (floor1cpu > 0) {
        printf "  trailtrim per core / floor per core (%s thread(s)), %s core(s): %5.1f%% (%.1f%%)  target >= 50%%: %s\n",
          floor_cores, c, 100 * cpu_rate[key] / floor1cpu, 100 * rate[key] / c / floor1,
          (cpu_rate[key] / floor1cpu >= 0.5 ? "met" : "NOT met")
        # What a miss is made of: the CPU the target leaves against what the JVM spends compiling and collecting.
        if (cpu_rate[key] / floor1cpu < 0.5)
          printf "    the target allows %.1f CPU s for these records; trailtrim used %.1f, of which JIT %.1f and GC %.1f\n",
            val(lines[i], "records") / (0.5 * floor1cpu), val(lines[i], "cpu_s"), val(lines[i], "cpu_jit_s"),
            val(lines[i], "cpu_gc_s")
      }
    }
    for (i = 1; i <= n_lines; i++) {
      if (val(lines[i], "job") != "ingest-only" || val(lines[i], "failed") == "true") continue
      c = val(lines[i], "cores"); key = "ingest-only," c
      if (floor1 > 0)
        printf "  ingest-only (trailtrim without Spark) per core / floor per core, %s core(s): %5.1f%% (%.1f%%)\n", c,
          100 * rate[key] / c / floor1, 100 * cpu_rate[key] / floor1cpu
      if (rate["trailtrim," c] > 0)
        printf "  trailtrim / ingest-only, %s core(s): %.2fx (%.2fx): what Spark (tasks, shuffle, collect) costs\n", c,
          rate["trailtrim," c] / rate[key], cpu_rate["trailtrim," c] / cpu_rate[key]
    }
    for (i = 1; i <= n_lines; i++) {
      line = lines[i]
      if (val(line, "job") != "s3-latency" || val(line, "failed") == "true") continue
      if (!s3++) print "\nfrom S3 (S3Proxy in the same JVM, every request late by the given latency; listing included):"
      printf "  %s core(s), %s ms per request, read ahead %s per task: %.0f records/s; %d GETs, in flight per task: %.1f at the peak, %.1f on average\n",
        val(line, "cores"), val(line, "latency_ms"), val(line, "read_ahead_per_task"), val(line, "rec_per_s"), val(line, "gets"),
        val(line, "max_gets_in_flight_per_task"), val(line, "mean_gets_in_flight_per_task")
    }
    if (rate["trailtrim,1"] > 0 && rate["trailtrim,2"] > 0)
      printf "  trailtrim 2 cores / 1 core: %.2fx  target >= 1.7x: %s\n", rate["trailtrim,2"] / rate["trailtrim,1"],
        (rate["trailtrim,2"] / rate["trailtrim,1"] >= 1.7 ? "met" : "NOT met")
    if (rate["floor,1"] > 0 && rate["floor,2"] > 0)
      printf "  floor 2 threads / 1 thread: %.2fx (what this machine allows for two cores right now)\n", rate["floor,2"] / rate["floor,1"]
  }' "$results"
# The whole job's own account of where its time went (its last log line), for the end-to-end runs of these results.
for cores in $(sed -n 's/^BENCH job=end-to-end cores=\([0-9]*\) .*/\1/p' "$results"); do
  steps="$(sed -n 's/^trailtrim: run [^ ]* complete in \(.*\): .*/\1/p' "$workdir/e2e-local$cores.log" 2>/dev/null | tail -1)"
  if [ -n "$steps" ]; then
    echo "end-to-end with $cores core(s), as the run logged it: $steps"
  fi
done
echo "raw result lines: ${results#"$TRAILTRIM_HOME"/}"

if [ "$profile" -eq 1 ]; then
  cores="$(echo "$cores_list" | awk '{print $NF}')"
  jfr="$workdir/trailtrim-local$cores.jfr"
  echo >&2
  echo "bench: profiling trailtrim with $cores core(s) (JFR, measured phase only) into ${jfr#"$TRAILTRIM_HOME"/}" >&2
  pinned "$cores" java "${java_flags[@]}" -Dbench.jfr="$jfr" -cp "$classpath" dev.trailtrim.tools.bench.TrailtrimBench \
    --corpus "$corpus" --cores "$cores" > "$workdir/trailtrim-profile.log" 2>&1
  echo
  grep '^BENCH ' "$workdir/trailtrim-profile.log" || true
  java -cp "$classpath" dev.trailtrim.tools.bench.JfrSummary "$jfr" --top 25 --inclusive \
    'ReadFiles.call,FileIngestor.ingest,EventTranslator.translate,CloudTrailFileParser.parse,eventTimeMillis,IngestStats,ShuffleMapTask,ResultTask,UsagePipeline.run,JavaSerializ'
  echo "(ShuffleMapTask = read tasks incl. their shuffle write; ResultTask = the reduce side; UsagePipeline.run = the driver's merge)"
fi
