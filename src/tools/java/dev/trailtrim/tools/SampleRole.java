package dev.trailtrim.tools;

import java.util.List;
import java.util.Objects;

/**
 * An IAM role of the sample scenario.
 *
 * @param account     owning account
 * @param path        IAM path, "/" or e.g. "/service-role/"
 * @param name        role name
 * @param roleId      the AROA... id that appears in principalId
 * @param createDate  ISO instant
 * @param inSnapshot  false for the role CloudTrail shows but the IAM snapshot lacks
 * @param tags        alternating keys and values
 */
record SampleRole(String account, String path, String name, String roleId, String createDate,
    boolean inSnapshot, List<String> tags) {

  SampleRole {
    Objects.requireNonNull(account, "account");
    if (path == null || !path.startsWith("/") || !path.endsWith("/")) {
      throw new IllegalArgumentException("Role path must start and end with '/', got '" + path + "'");
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(roleId, "roleId");
    tags = List.copyOf(tags);
  }

  String arn() {
    return "arn:aws:iam::" + account + ":role" + path + name;
  }
}
