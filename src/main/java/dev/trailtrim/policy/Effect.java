package dev.trailtrim.policy;

/** A statement's Effect. */
public enum Effect {
  ALLOW("Allow"),
  DENY("Deny");

  private final String json;

  Effect(String json) {
    this.json = json;
  }

  /** The spelling IAM requires in a policy document. */
  public String json() {
    return json;
  }
}
