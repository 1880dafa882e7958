# Shared by the scripts: where the project is, and the build they need.
# shellcheck shell=bash

TRAILTRIM_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# No terminal escape codes in logs and pipes: -Dstyle.color=never turns Maven's colours off, and
# jansi.noreset (which only works through MAVEN_OPTS) stops Maven 3.8's jansi from printing a
# colour reset (ESC[0m) when it starts and ends, even with -B -q.
MVN="${MVN:-mvn} -q -B -Dstyle.color=never ${TRAILTRIM_MVN_FLAGS:-}"
export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true"

# What a build is made of: every file of $TRAILTRIM_SOURCES (default src/main, conf/ and pom.xml;
# names and contents), and the Maven flags. Tests and tools are not in the jar, so editing them
# needs no new jar. About 10 ms.
trailtrim_sources_hash() {
  (cd "$TRAILTRIM_HOME" && {
    echo "flags: ${TRAILTRIM_MVN_FLAGS:-}"
    # shellcheck disable=SC2086 # a list of paths without spaces
    find ${TRAILTRIM_SOURCES:-src/main conf pom.xml} -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1)
}

# Runs Maven with the given goals unless target/.<name>.stamp says it already ran on these very
# sources and left its class path file ($TRAILTRIM_CLASSPATH, default target/classpath.txt). One
# build at a time per checkout (flock on target/.build.lock): a second launch waits for the first
# one's build, then finds it fresh instead of building into the same target/ at once.
trailtrim_build() {
  local name=$1
  shift
  mkdir -p "$TRAILTRIM_HOME/target"
  (
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$TRAILTRIM_HOME/target/.build.lock"
      flock 9
    fi
    stamp="$TRAILTRIM_HOME/target/.$name.stamp"
    hash="$(trailtrim_sources_hash)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -s "$TRAILTRIM_HOME/${TRAILTRIM_CLASSPATH:-target/classpath.txt}" ]; then
      exit 0
    fi
    echo "trailtrim: building ($name): the sources changed since the last build, or it never ran" >&2
    rm -f "$stamp"
    # Explicit exits: callers run this inside $(...), where bash ignores set -e.
    (cd "$TRAILTRIM_HOME" && $MVN "$@" >&2) || exit 1
    echo "$hash" > "$stamp"
  )
}

# Compiles the main classes and writes target/classpath.txt: compile + provided scope, i.e.
# Spark, Hadoop (with s3a), Jackson and the AWS SDK, which EMR supplies at run time.
trailtrim_compile() {
  trailtrim_build compile compile dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile
}

# Compiles the main classes and the tools (src/tools/java: the sample generator and the benchmarks,
# a test source root so they never ship in the job jar; test-compile compiles src/test too) and
# writes target/tools-classpath.txt: the test scope, i.e. the compile class path with Spark,
# Hadoop and JUnit. trailtrim_tools_classpath then prints what a tool runs with.
trailtrim_compile_tools() {
  TRAILTRIM_SOURCES="src/main src/tools conf pom.xml" TRAILTRIM_CLASSPATH=target/tools-classpath.txt \
    trailtrim_build tools test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/tools-classpath.txt -Dmdep.includeScope=test
}

trailtrim_tools_classpath() {
  echo "$TRAILTRIM_HOME/target/classes:$TRAILTRIM_HOME/target/test-classes:$(cat "$TRAILTRIM_HOME/target/tools-classpath.txt")"
}

# The flags spark-submit adds on Java 17 (org.apache.spark.launcher.JavaModuleOptions).
JAVA17_SPARK_OPENS=(
  -XX:+IgnoreUnrecognizedVMOptions -Djdk.reflect.useDirectMethodHandle=false
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
)

# Builds the shaded job jar (tests skipped: scripts/test.sh runs them) and the class path of what
# EMR provides at run time, and prints the jar's path.
trailtrim_package() {
  if ! ls "$TRAILTRIM_HOME"/target/trailtrim-*.jar >/dev/null 2>&1; then
    rm -f "$TRAILTRIM_HOME/target/.package.stamp"
  fi
  trailtrim_build package package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile || return 1
  ls "$TRAILTRIM_HOME"/target/trailtrim-*.jar | grep -v -e '-tests.jar' -e 'original-' | head -1
}
