# Shared by the scripts: where the project is, and the build they need.
# shellcheck shell=bash

TRAILTRIM_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# No terminal escape codes in logs and pipes: -Dstyle.color=never turns Maven's colours off, and
# jansi.noreset (which only works through MAVEN_OPTS) stops Maven 3.8's jansi from printing a
# colour reset (ESC[0m) when it starts and ends, even with -B -q.
MVN_BASE="${MVN:-mvn} -q -B -Dstyle.color=never"
export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true"

# Which Spark the scripts build for and run on: TRAILTRIM_SPARK=3 (the default; EMR 7.x: Spark 3.5,
# Scala 2.12) or 4 (EMR 8, emr-spark-8.x: Spark 4.0, Scala 2.13), built by the pom's spark4 profile
# into target/spark4/ so the two builds never overwrite each other. Sets TRAILTRIM_TARGET (where the
# build goes), TRAILTRIM_SCALA_VERSION and MVN (with the profile).
trailtrim_select_spark() {
  case $1 in
    3) TRAILTRIM_TARGET=target TRAILTRIM_SCALA_VERSION=2.12 TRAILTRIM_PROFILE= ;;
    4) TRAILTRIM_TARGET=target/spark4 TRAILTRIM_SCALA_VERSION=2.13 TRAILTRIM_PROFILE=-Pspark4 ;;
    *) echo "trailtrim: TRAILTRIM_SPARK=$1 is not a Spark this project builds for; use 3 (EMR 7) or 4 (EMR 8)" >&2
       return 2 ;;
  esac
  TRAILTRIM_SPARK=$1
  MVN="$MVN_BASE $TRAILTRIM_PROFILE ${TRAILTRIM_MVN_FLAGS:-}"
}
trailtrim_select_spark "${TRAILTRIM_SPARK:-3}" || exit 2

# What a build is made of: every file of $TRAILTRIM_SOURCES (default src/main, conf/ and pom.xml;
# names and contents), and the Maven flags. Tests and tools are not in the jar, so editing them
# needs no new jar. About 10 ms.
trailtrim_sources_hash() {
  (cd "$TRAILTRIM_HOME" && {
    echo "flags: $TRAILTRIM_PROFILE ${TRAILTRIM_MVN_FLAGS:-}"
    # shellcheck disable=SC2086 # a list of paths without spaces
    find ${TRAILTRIM_SOURCES:-src/main conf pom.xml} -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1)
}

# Runs Maven with the given goals unless $TRAILTRIM_TARGET/.<name>.stamp says it already ran on these very
# sources and left its class path file ($TRAILTRIM_CLASSPATH, default classpath.txt, under $TRAILTRIM_TARGET). One
# build at a time per checkout (flock on target/.build.lock): a second launch waits for the first
# one's build, then finds it fresh instead of building into the same target/ at once.
trailtrim_build() {
  local name=$1
  shift
  mkdir -p "$TRAILTRIM_HOME/$TRAILTRIM_TARGET"
  (
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$TRAILTRIM_HOME/target/.build.lock"
      flock 9
    fi
    stamp="$TRAILTRIM_HOME/$TRAILTRIM_TARGET/.$name.stamp"
    hash="$(trailtrim_sources_hash)"
    classpath="$TRAILTRIM_HOME/$TRAILTRIM_TARGET/${TRAILTRIM_CLASSPATH:-classpath.txt}"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -s "$classpath" ]; then
      exit 0
    fi
    echo "trailtrim: building ($name): the sources changed since the last build, or it never ran" >&2
    rm -f "$stamp"
    # Explicit exits: callers run this inside $(...), where bash ignores set -e.
    (cd "$TRAILTRIM_HOME" && $MVN "$@" >&2) || exit 1
    echo "$hash" > "$stamp"
  )
}

# Compiles the main classes and writes $TRAILTRIM_TARGET/classpath.txt: compile + provided scope, i.e.
# Spark, Hadoop (with s3a), Jackson and the AWS SDK, which EMR supplies at run time.
trailtrim_compile() {
  trailtrim_build compile compile dependency:build-classpath \
    -Dmdep.outputFile="$TRAILTRIM_TARGET/classpath.txt" -Dmdep.includeScope=compile
}

# Compiles the main classes and the tools (src/tools/java: the sample generator and the benchmarks,
# a test source root so they never ship in the job jar; test-compile compiles src/test too) and
# writes $TRAILTRIM_TARGET/tools-classpath.txt: the test scope, i.e. the compile class path with Spark,
# Hadoop and JUnit. trailtrim_tools_classpath then prints what a tool runs with.
trailtrim_compile_tools() {
  TRAILTRIM_SOURCES="src/main src/tools conf pom.xml" TRAILTRIM_CLASSPATH=tools-classpath.txt \
    trailtrim_build tools test-compile dependency:build-classpath \
    -Dmdep.outputFile="$TRAILTRIM_TARGET/tools-classpath.txt" -Dmdep.includeScope=test
}

trailtrim_tools_classpath() {
  local dir="$TRAILTRIM_HOME/$TRAILTRIM_TARGET"
  echo "$dir/classes:$dir/test-classes:$(cat "$dir/tools-classpath.txt")"
}

# The flags spark-submit adds on Java 17 (org.apache.spark.launcher.JavaModuleOptions; the netty one is Spark 4's).
JAVA17_SPARK_OPENS=(
  -XX:+IgnoreUnrecognizedVMOptions -Djdk.reflect.useDirectMethodHandle=false
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true
)

# Builds the shaded job jar (tests skipped: scripts/test.sh runs them) and the class path of what
# EMR provides at run time, and prints the jar's path.
trailtrim_package() {
  local dir="$TRAILTRIM_HOME/$TRAILTRIM_TARGET"
  if ! ls "$dir"/trailtrim-*.jar >/dev/null 2>&1; then
    rm -f "$dir/.package.stamp"
  fi
  trailtrim_build package package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile="$TRAILTRIM_TARGET/classpath.txt" -Dmdep.includeScope=compile || return 1
  ls "$dir"/trailtrim-*.jar | grep -v -e '-tests.jar' -e 'original-' | head -1
}
