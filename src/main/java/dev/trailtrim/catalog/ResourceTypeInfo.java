package dev.trailtrim.catalog;

import java.util.List;

/**
 * A service's resource type and its ARN formats, e.g. s3 {@code object} with
 * {@code arn:${Partition}:s3:::${BucketName}/${ObjectName}}.
 */
public record ResourceTypeInfo(String service, String name, List<String> arnFormats) {

  public ResourceTypeInfo {
    arnFormats = List.copyOf(arnFormats);
  }
}
