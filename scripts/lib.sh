# Shared by the scripts: where the project is, and the build they need.
# shellcheck shell=bash

TRAILTRIM_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MVN="${MVN:-mvn} -q -B ${TRAILTRIM_MVN_FLAGS:-}"

# Compiles the main classes and writes target/classpath.txt: compile + provided scope, i.e.
# Spark, Hadoop (with s3a), Jackson and the AWS SDK, which EMR supplies at run time.
trailtrim_compile() {
  (cd "$TRAILTRIM_HOME" && $MVN compile dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile >&2)
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
  (cd "$TRAILTRIM_HOME" && $MVN package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile >&2)
  ls "$TRAILTRIM_HOME"/target/trailtrim-*.jar | grep -v -e '-tests.jar' -e 'original-' | head -1
}
