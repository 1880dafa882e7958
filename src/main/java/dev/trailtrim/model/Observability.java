package dev.trailtrim.model;

/**
 * Decides, for a granted permission, whether its use would show up in the analysed CloudTrail
 * logs. Built once per run from the catalog, the translation rules and what the logs contain.
 */
public interface Observability {

  /**
   * @param action   a concrete catalog action (not a pattern)
   * @param resource the granted resource pattern ({@code *} or an ARN pattern)
   */
  Visibility visibility(IamAction action, String resource);

  /** One sentence a report can show: why {@link #visibility} answered as it did. */
  String reason(IamAction action, String resource);

  /**
   * Where CloudTrail records a call of the action when that is not the region of the caller: the
   * region of global services (IAM's calls are logged in us-east-1); null for regional services.
   */
  default GlobalLogging globalLogging(IamAction action) {
    return null;
  }

  /**
   * For a grant the trails record only partly ({@link Visibility#PARTLY_RECORDED}): the resources
   * whose use is not recorded, as IAM resource patterns within {@code resource}. They are kept;
   * the rest may be unused. Empty for every other answer.
   */
  default java.util.List<String> unrecordedPart(IamAction action, String resource) {
    return java.util.List.of();
  }

  /**
   * @param region       where the calls are recorded
   * @param onlyThere    true when every call is recorded there (IAM), false when calls may also be
   *                     recorded in the caller's region (STS's global and regional endpoints)
   */
  record GlobalLogging(String region, boolean onlyThere) {}
}
