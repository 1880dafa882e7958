package dev.trailtrim.tools;

import static dev.trailtrim.tools.SampleJson.obj;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Who makes a call: a role session, an IAM user, an AWS service or a SAML user. */
final class SampleSession {

  enum Type { ASSUMED_ROLE, IAM_USER, AWS_SERVICE, SAML_USER }

  final Type type;
  final String account;
  final SampleRole role;
  final SampleFunction function;
  final String sessionName;
  final String accessKeyId;
  final long createdMillis;
  final boolean mfa;
  final boolean console;
  final String userName;
  final String principalId;
  final String service;
  final String identityProvider;
  final String userAgent;
  final String sourceIp;

  private SampleSession(Type type, String account, SampleRole role, SampleFunction function,
      String sessionName, String accessKeyId, long createdMillis, boolean mfa, boolean console,
      String userName, String principalId, String service, String identityProvider,
      String userAgent, String sourceIp) {
    this.type = type;
    this.account = account;
    this.role = role;
    this.function = function;
    this.sessionName = sessionName;
    this.accessKeyId = accessKeyId;
    this.createdMillis = createdMillis;
    this.mfa = mfa;
    this.console = console;
    this.userName = userName;
    this.principalId = principalId;
    this.service = service;
    this.identityProvider = identityProvider;
    this.userAgent = userAgent;
    this.sourceIp = sourceIp;
  }

  /** A Lambda execution environment's credentials: session name = function name. */
  static SampleSession lambda(SampleFunction function, String accessKeyId, long createdMillis,
      String sourceIp) {
    return new SampleSession(Type.ASSUMED_ROLE, function.role().account(), function.role(), function,
        function.name(), accessKeyId, createdMillis, false, false, null, null, null, null, null,
        sourceIp);
  }

  static SampleSession role(SampleRole role, String sessionName, String accessKeyId,
      long createdMillis, boolean mfa, boolean console, String userAgent, String sourceIp) {
    return new SampleSession(Type.ASSUMED_ROLE, role.account(), role, null, sessionName,
        accessKeyId, createdMillis, mfa, console, null, null, null, null, userAgent, sourceIp);
  }

  static SampleSession user(String account, String userName, String userId, String accessKeyId,
      long createdMillis, boolean console, String userAgent, String sourceIp) {
    return new SampleSession(Type.IAM_USER, account, null, null, null, accessKeyId, createdMillis,
        true, console, userName, userId, null, null, userAgent, sourceIp);
  }

  static SampleSession service(String service) {
    return new SampleSession(Type.AWS_SERVICE, null, null, null, null, null, 0L, false, false,
        null, null, service, null, service, service);
  }

  static SampleSession saml(String account, String userName, String identityProvider,
      String userAgent, String sourceIp) {
    return new SampleSession(Type.SAML_USER, account, null, null, null, null, 0L, false, false,
        userName, identityProvider + ":" + userName, null, identityProvider, userAgent, sourceIp);
  }

  String userAgent(String eventSource) {
    if (function != null) {
      String agent = function.userAgent(eventSource);
      return eventSource.equals("s3.amazonaws.com") ? "[" + agent + "]" : agent;
    }
    return userAgent;
  }

  /** The record's userIdentity, field order as CloudTrail writes it. */
  ObjectNode identity(String invokedBy) {
    ObjectNode identity = switch (type) {
      case ASSUMED_ROLE -> {
        ObjectNode node = obj(
            "type", "AssumedRole",
            "principalId", role.roleId() + ":" + sessionName,
            "arn", "arn:aws:sts::" + account + ":assumed-role/" + role.name() + "/" + sessionName,
            "accountId", account);
        if (invokedBy == null) {
          node.put("accessKeyId", accessKeyId);
        }
        node.set("sessionContext", obj(
            "sessionIssuer", obj(
                "type", "Role",
                "principalId", role.roleId(),
                "arn", role.arn(),
                "accountId", account,
                "userName", role.name()),
            "webIdFederationData", obj(),
            "attributes", obj(
                "creationDate", SampleJson.eventTime(createdMillis),
                "mfaAuthenticated", Boolean.toString(mfa))));
        yield node;
      }
      case IAM_USER -> {
        ObjectNode node = obj(
            "type", "IAMUser",
            "principalId", principalId,
            "arn", "arn:aws:iam::" + account + ":user/" + userName,
            "accountId", account);
        if (accessKeyId != null) {
          node.put("accessKeyId", accessKeyId);
        }
        node.put("userName", userName);
        if (console && accessKeyId != null) {
          node.set("sessionContext", obj("attributes", obj(
              "creationDate", SampleJson.eventTime(createdMillis),
              "mfaAuthenticated", Boolean.toString(mfa))));
        }
        yield node;
      }
      case AWS_SERVICE -> obj("type", "AWSService", "invokedBy", service);
      case SAML_USER -> obj(
          "type", "SAMLUser",
          "principalId", principalId,
          "userName", userName,
          "identityProvider", identityProvider);
    };
    if (invokedBy != null) {
      identity.put("invokedBy", invokedBy);
    }
    return identity;
  }

  /** The role whose permissions the call used, or null when the caller is not a role session. */
  String roleArn() {
    return type == Type.ASSUMED_ROLE ? role.arn() : null;
  }
}
