package dev.trailtrim.ingest;

/**
 * Why a file or record was not used. Every value is counted in {@code summary.json} under its
 * {@link #code()}; rejects (as opposed to expected skips) are also sampled to {@code rejects/}.
 */
public enum SkipReason {
  // Files.
  DIGEST_FILE("digest-file", false, "CloudTrail digest file (integrity hashes, no events)"),
  INSIGHT_FILE("insight-file", false, "CloudTrail Insights file (anomaly summaries, no API calls)"),
  DUPLICATE_FILE("duplicate-file", false,
      "a copy (same CloudTrail file name and length) of a file read under another path: one delivery, read once"),
  EMPTY_FILE("empty-file", true, "the file is empty"),
  CORRUPT_GZIP("corrupt-gzip", true, "gzip data is corrupt or truncated"),
  TRUNCATED_JSON("truncated-json", true, "JSON ends before the document does"),
  INVALID_JSON("invalid-json", true, "not valid JSON"),
  NOT_CLOUDTRAIL("not-cloudtrail", true, "valid JSON, but no CloudTrail records in it"),
  TOO_LARGE("too-large", true, "larger than the configured maximum file size"),
  UNREADABLE("unreadable", true, "the file could not be read"),
  // Listed entries that are not files to read.
  DIRECTORY("directory", false, "a folder where a day folder holds files: folders are never read as files"),
  HIDDEN_FILE("hidden-file", false, "a hidden file or a folder marker (name starts with . or _, or ends in $folder$)"),
  SYMLINK("symlink", false, "a symbolic link not followed: to a folder or file already listed (a loop, or a"
      + " second name), or to nothing"),
  // Records.
  RECORD_NOT_AN_OBJECT("record-not-an-object", true, "an element of Records is not a JSON object"),
  RECORD_MISSING_FIELD("record-missing-field", true, "eventSource, eventName or eventTime is missing"),
  RECORD_BAD_EVENT_TIME("record-bad-event-time", true, "eventTime is not an ISO-8601 instant"),
  RECORD_BAD_ARN("record-bad-arn", true,
      "a role session whose sessionIssuer.arn is not an IAM role ARN (arn:partition:iam::account:role/name)"),
  RECORD_OUTSIDE_WINDOW("record-outside-window", false, "eventTime outside the analysed window"),
  RECORD_NOT_A_ROLE_SESSION("record-not-a-role-session", false,
      "made by a user, a service, the root user or a federated user, not an IAM role session"),
  RECORD_NOT_LAMBDA_ROLE("record-not-lambda-role", false, "made by a role that is not a Lambda execution role"),
  RECORD_UNMAPPED("record-unmapped", false, "eventSource/eventName has no IAM translation (see unmapped.csv)"),
  RECORD_NO_PERMISSION_NEEDED("record-no-permission-needed", false, "the call needs no IAM permission");

  private final String code;
  private final boolean reject;
  private final String description;

  SkipReason(String code, boolean reject, String description) {
    this.code = code;
    this.reject = reject;
    this.description = description;
  }

  public String code() {
    return code;
  }

  /** True for bad input (sampled to rejects/), false for expected skips. */
  public boolean isReject() {
    return reject;
  }

  public String description() {
    return description;
  }

  public boolean isFileLevel() {
    return ordinal() < RECORD_NOT_AN_OBJECT.ordinal();
  }
}
