package dev.trailtrim.inventory;

import java.util.Objects;

/**
 * One Lambda function as {@code aws lambda list-functions} (or the API's {@code ListFunctions})
 * describes it.
 *
 * @param name         {@code FunctionName}
 * @param arn          {@code FunctionArn}, unqualified
 * @param accountId    from the ARN
 * @param region       from the ARN
 * @param roleArn      {@code Role}: the execution role's ARN, with its path
 * @param runtime      {@code Runtime}; null for a container image ({@code PackageType} Image)
 * @param architecture the first of {@code Architectures}; {@code x86_64} (Lambda's default) when absent
 * @param lastModified {@code LastModified} as Lambda prints it ({@code 2026-10-28T09:14:22.000+0000}); null if absent
 * @param source       where it was read: an inventory file, or the Lambda API
 */
public record LambdaFunction(String name, String arn, String accountId, String region, String roleArn,
    String runtime, String architecture, String lastModified, String source) implements Comparable<LambdaFunction> {

  public LambdaFunction {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(source, "source");
  }

  @Override
  public int compareTo(LambdaFunction o) {
    return arn.compareTo(o.arn);
  }
}
