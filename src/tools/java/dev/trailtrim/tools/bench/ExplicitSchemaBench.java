package dev.trailtrim.tools.bench;

import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.StructType;

/**
 * The naive job of {@link NaiveJsonBench} with the schema given: only the fields a usage query
 * needs (time, source, name, error, and the identity down to the session issuer), so Spark
 * neither infers a schema nor converts the rest of each record.
 *
 * <p>Usage: {@code ExplicitSchemaBench --corpus DIR --cores N}
 */
public final class ExplicitSchemaBench {

  private ExplicitSchemaBench() {}

  static final StructType SCHEMA = new StructType()
      .add("Records", createArrayType(new StructType()
          .add("eventTime", StringType)
          .add("eventSource", StringType)
          .add("eventName", StringType)
          .add("awsRegion", StringType)
          .add("errorCode", StringType)
          .add("recipientAccountId", StringType)
          .add("userIdentity", new StructType()
              .add("type", StringType)
              .add("arn", StringType)
              .add("sessionContext", new StructType()
                  .add("sessionIssuer", new StructType()
                      .add("type", StringType)
                      .add("arn", StringType))))));

  public static void main(String[] args) throws Exception {
    NaiveJsonBench.measure(BenchRun.start("explicit-schema", args), SCHEMA);
  }
}
