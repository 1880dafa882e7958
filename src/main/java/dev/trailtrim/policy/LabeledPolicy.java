package dev.trailtrim.policy;

import java.io.Serializable;
import java.util.Objects;

/**
 * A policy document with a label saying where it came from, e.g. {@code inline:orders-db} or
 * {@code managed:arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole}.
 */
public record LabeledPolicy(String label, PolicyDocument document) implements Serializable {

  public LabeledPolicy {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(document, "document");
  }
}
