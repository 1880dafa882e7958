package dev.trailtrim.policy;

import java.util.List;
import java.util.Objects;

/**
 * A parsed document plus what the parser noticed but did not fail on, e.g. a Principal element
 * (meaningless in an identity policy, so ignored).
 */
public record ParsedPolicy(PolicyDocument document, List<String> notes) {

  public ParsedPolicy {
    Objects.requireNonNull(document, "document");
    notes = List.copyOf(notes);
  }
}
