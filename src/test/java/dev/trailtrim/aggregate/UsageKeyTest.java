package dev.trailtrim.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** UsageKey's hand-written equals and hashCode are the ones a record generates. */
class UsageKeyTest {

  private static final UsageKey KEY = new UsageKey("2026/11/02", "2026-11-01", "arn:aws:iam::1:role/r", "s3:GetObject",
      "arn:aws:s3:::b/k", "");

  @Test
  void hashesAsAGeneratedRecordHashDoes() throws ReflectiveOperationException {
    // java.lang.runtime.ObjectMethods: 31 * result + hash(component), from 0, in declaration order.
    int expected = 0;
    for (RecordComponent component : UsageKey.class.getRecordComponents()) {
      expected = 31 * expected + java.util.Objects.hashCode(component.getAccessor().invoke(KEY));
    }
    assertEquals(expected, KEY.hashCode());
  }

  @Test
  void everyComponentTellsKeysApart() throws ReflectiveOperationException {
    RecordComponent[] components = UsageKey.class.getRecordComponents();
    Class<?>[] types = java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    java.lang.reflect.Constructor<UsageKey> canonical = UsageKey.class.getDeclaredConstructor(types);
    for (int changed = 0; changed < components.length; changed++) {
      List<Object> values = new ArrayList<>();
      for (RecordComponent component : components) {
        values.add(component.getAccessor().invoke(KEY));
      }
      UsageKey same = canonical.newInstance(values.toArray());
      assertEquals(KEY, same);
      assertEquals(KEY.hashCode(), same.hashCode());
      values.set(changed, values.get(changed) + "x");
      UsageKey other = canonical.newInstance(values.toArray());
      assertNotEquals(KEY, other, components[changed].getName());
      values.set(changed, null);
      UsageKey withNull = canonical.newInstance(values.toArray());
      assertNotEquals(KEY, withNull, components[changed].getName() + " null");
      assertEquals(withNull, withNull);
    }
  }

  /** The size a key tells Spark is never below what Spark's estimator finds by walking a fresh copy of it. */
  @Test
  void toldSizeIsNeverBelowTheWalkedOne() {
    UsageKey key = new UsageKey(new String("2026/11/02"), new String("2026-11-01"), new String("arn:aws:iam::1:role/r"),
        new String("fn-\u00e9t\u00e9"), new String("s3:GetObject"), new String("arn:aws:s3:::b/k"), new String(""));
    Object[] walked = {key.folderDay(), key.eventDay(), key.roleArn(), key.function(), key.action(), key.resource(),
        key.errorCode()};
    // The array stands for the key's own fields: a header and seven references, as the key's.
    long estimated = org.apache.spark.util.SizeEstimator.estimate(walked);
    org.junit.jupiter.api.Assertions.assertTrue(key.estimatedSize() >= estimated,
        "told " + key.estimatedSize() + " bytes, walked " + estimated);
    org.junit.jupiter.api.Assertions.assertTrue(new UsageStats(1, 2, 3).estimatedSize()
        >= org.apache.spark.util.SizeEstimator.estimate(new long[] {1, 2, 3}));
  }
}
