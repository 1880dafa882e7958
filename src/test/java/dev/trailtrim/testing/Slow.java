package dev.trailtrim.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that crosses a process boundary (child JVMs, the AWS CLI, a browser) or waits on purpose
 * (injected S3 faults and latency, repeated nights). The whole suite runs it; {@code scripts/test.sh --quick}
 * leaves it out for the edit loop (surefire's {@code excludedGroups}, tag {@value #TAG}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(Slow.TAG)
public @interface Slow {

  String TAG = "slow";
}
