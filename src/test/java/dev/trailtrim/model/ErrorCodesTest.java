package dev.trailtrim.model;

import static dev.trailtrim.model.ErrorCodes.Kind.AUTHORIZATION_REFUSED;
import static dev.trailtrim.model.ErrorCodes.Kind.FAILED_AFTER_AUTHORIZATION;
import static dev.trailtrim.model.ErrorCodes.Kind.FAILED_BEFORE_AUTHORIZATION;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorCodesTest {

  @Test
  void tellsRefusalsFromFailuresBeforeAndAfterAuthorization() {
    Map<String, ErrorCodes.Kind> cases = Map.ofEntries(
        Map.entry("AccessDenied", AUTHORIZATION_REFUSED),
        Map.entry("AccessDeniedException", AUTHORIZATION_REFUSED),
        Map.entry("Client.UnauthorizedOperation", AUTHORIZATION_REFUSED),
        Map.entry("UnauthorizedAccess", AUTHORIZATION_REFUSED),
        Map.entry("AuthorizationError", AUTHORIZATION_REFUSED),
        Map.entry("AuthorizationErrorException", AUTHORIZATION_REFUSED),
        Map.entry("ForbiddenException", AUTHORIZATION_REFUSED),
        Map.entry("KMS.AccessDeniedException", AUTHORIZATION_REFUSED),
        Map.entry("ThrottlingException", FAILED_BEFORE_AUTHORIZATION),
        Map.entry("Client.RequestLimitExceeded", FAILED_BEFORE_AUTHORIZATION),
        Map.entry("ExpiredToken", FAILED_BEFORE_AUTHORIZATION),
        Map.entry("ValidationException", FAILED_BEFORE_AUTHORIZATION),
        Map.entry("InvalidParameterValueException", FAILED_BEFORE_AUTHORIZATION),
        Map.entry("ParameterNotFound", FAILED_AFTER_AUTHORIZATION),
        Map.entry("ResourceNotFoundException", FAILED_AFTER_AUTHORIZATION),
        Map.entry("ConditionalCheckFailedException", FAILED_AFTER_AUTHORIZATION),
        Map.entry("NoSuchKey", FAILED_AFTER_AUTHORIZATION),
        Map.entry("EntityAlreadyExists", FAILED_AFTER_AUTHORIZATION));
    cases.forEach((code, kind) -> assertEquals(kind, ErrorCodes.classify(code), code));
  }
}
