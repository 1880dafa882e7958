package dev.trailtrim.policy;

/** A policy document that is not valid IAM policy grammar; the message names the bad value. */
public class PolicyParseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PolicyParseException(String message) {
    super(message);
  }

  public PolicyParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
