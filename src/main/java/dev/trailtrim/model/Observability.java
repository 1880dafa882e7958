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
}
