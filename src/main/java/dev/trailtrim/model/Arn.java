package dev.trailtrim.model;

/**
 * An Amazon Resource Name: {@code arn:partition:service:region:account:resource}. The resource
 * part may itself contain colons (e.g. {@code function:name:alias}).
 */
public record Arn(String partition, String service, String region, String account, String resource) {

  public Arn {
    if (partition == null || partition.isEmpty() || service == null || service.isEmpty()
        || region == null || account == null || resource == null || resource.isEmpty()) {
      throw new IllegalArgumentException("Cannot make an ARN of partition '" + partition
          + "', service '" + service + "', region '" + region + "', account '" + account
          + "', resource '" + resource + "'");
    }
  }

  public static Arn parse(String arn) {
    String[] parts = arn == null ? new String[0] : arn.split(":", 6);
    if (parts.length != 6 || !parts[0].equals("arn")) {
      throw new IllegalArgumentException("Cannot parse ARN '" + arn
          + "': expected 'arn:partition:service:region:account:resource'");
    }
    return new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
  }

  /** Starts with {@code arn:} and has the five colons of the six parts (counted: it runs per record). */
  public static boolean looksLikeArn(String value) {
    if (value == null || !value.startsWith("arn:")) {
      return false;
    }
    int colons = 1;
    for (int at = value.indexOf(':', 4); at >= 0 && colons < 5; at = value.indexOf(':', at + 1)) {
      colons++;
    }
    return colons == 5;
  }

  /** The partition of a region: aws-cn for cn-*, aws-us-gov for us-gov-*, aws otherwise. */
  public static String partitionOfRegion(String region) {
    if (region == null) {
      return "aws";
    }
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    if (region.startsWith("us-iso-")) {
      return "aws-iso";
    }
    if (region.startsWith("us-isob-")) {
      return "aws-iso-b";
    }
    return "aws";
  }

  @Override
  public String toString() {
    return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
  }
}
