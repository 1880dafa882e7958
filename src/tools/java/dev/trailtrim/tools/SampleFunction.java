package dev.trailtrim.tools;

/**
 * A Lambda function of the sample scenario; its sessions are named after it, as Lambda does.
 *
 * @param name      function name (= role session name)
 * @param region    where it runs
 * @param runtime   e.g. python3.12
 * @param role      its execution role
 */
record SampleFunction(String name, String region, String runtime, SampleRole role) {

  String arn() {
    return "arn:aws:lambda:" + region + ":" + role.account() + ":function:" + name;
  }

  String logGroup() {
    return "/aws/lambda/" + name;
  }

  /** The SDK user agent the function's code sends; S3 wraps it in brackets in its records. */
  String userAgent(String eventSource) {
    return userAgent(runtime, eventSource);
  }

  /** The user agent of the AWS SDK of {@code runtime} inside Lambda (also used by the benchmark corpus). */
  static String userAgent(String runtime, String eventSource) {
    String service = eventSource.substring(0, eventSource.indexOf('.'));
    return switch (runtime) {
      case "python3.12" -> "Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10.224-233.895.amzn2.x86_64"
          + " md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12"
          + " cfg/retry-mode#legacy Botocore/1.34.131";
      case "python3.9" -> "Boto3/1.26.90 Python/3.9.18 Linux/5.10.210-201.852.amzn2.x86_64"
          + " exec-env/AWS_Lambda_python3.9 Botocore/1.29.90";
      case "java17" -> "aws-sdk-java/2.25.60 Linux/5.10.224-233.895.amzn2.x86_64"
          + " OpenJDK_64-Bit_Server_VM/17.0.12+7-LTS Java/17.0.12 vendor/Amazon.com_Inc."
          + " exec-env/AWS_Lambda_java17 io/sync http/Apache cfg/retry-mode/legacy";
      case "nodejs20.x" -> "aws-sdk-js/3.621.0 ua/2.1 os/linux#5.10.224-233.895.amzn2.x86_64 lang/js"
          + " md/nodejs#20.15.1 api/" + service + "#3.621.0 exec-env/AWS_Lambda_nodejs20.x";
      default -> throw new IllegalArgumentException("No user agent for runtime '" + runtime
          + "': use python3.12, python3.9, java17 or nodejs20.x");
    };
  }
}
