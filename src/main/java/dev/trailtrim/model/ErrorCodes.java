package dev.trailtrim.model;

import java.util.List;
import java.util.Locale;

/**
 * What a CloudTrail {@code errorCode} says about authorization. A call refused by IAM proves
 * nothing was granted; a call that failed for another reason after IAM allowed it (a missing
 * parameter, a failed condition check) proves the role needs the permission, because dropping
 * it would turn today's ParameterNotFound into AccessDenied. Calls that fail before IAM looks
 * (throttling, bad signatures, invalid input) prove neither.
 */
public final class ErrorCodes {

  public enum Kind {
    /** IAM (or a resource policy, SCP, boundary) refused the call. */
    AUTHORIZATION_REFUSED,
    /** The call failed before authorization was decided. */
    FAILED_BEFORE_AUTHORIZATION,
    /** Authorized, then failed for a reason of the service's own. */
    FAILED_AFTER_AUTHORIZATION
  }

  private static final List<String> REFUSED = List.of("accessdenied", "unauthorized", "notauthorized", "forbidden",
      "authorizationerror", "authfailure", "notpermitted", "insufficientpermission");
  private static final List<String> BEFORE_AUTHORIZATION = List.of("throttl", "ratelimit", "requestlimitexceeded",
      "toomanyrequests", "slowdown", "limitexceeded", "invalidclienttokenid", "expiredtoken", "signaturedoesnotmatch",
      "incompletesignature", "missingauthenticationtoken", "invalidaccesskeyid", "invalidsignature", "optinrequired",
      "validation", "invalidparameter", "missingparameter", "malformed", "serialization", "unknownoperation",
      "invalidaction", "internalfailure", "internalerror", "internalservererror", "serviceunavailable");

  private ErrorCodes() {}

  public static Kind classify(String errorCode) {
    String code = errorCode.toLowerCase(Locale.ROOT).replace(".", "").replace("_", "");
    if (REFUSED.stream().anyMatch(code::contains)) {
      return Kind.AUTHORIZATION_REFUSED;
    }
    if (BEFORE_AUTHORIZATION.stream().anyMatch(code::contains)) {
      return Kind.FAILED_BEFORE_AUTHORIZATION;
    }
    return Kind.FAILED_AFTER_AUTHORIZATION;
  }
}
