package dev.trailtrim.evidence;

import java.util.List;

/**
 * One {@code DataResources} entry of a basic event selector: a resource type and the ARN-like
 * values it records, e.g. {@code AWS::S3::Object} with {@code arn:aws:s3:::bucket/prefix}, or
 * {@code arn:aws:s3} for every bucket.
 */
public record DataResource(String type, List<String> values) {

  public DataResource {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("A data resource needs a Type such as AWS::S3::Object, got '" + type + "'");
    }
    values = List.copyOf(values);
  }
}
