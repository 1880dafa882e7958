package dev.trailtrim.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code list-functions} document: the functions of one account and region.
 *
 * @param source    where it was read (a file, or the Lambda API)
 * @param lists     the account and region pairs ({@link #key}) it lists: those of its functions, or of
 *                  its name when it lists none
 * @param complete  false when it is one page of several ({@code NextMarker}): then it shows that its
 *                  functions exist, not that others do not
 * @param functions its functions, sorted by ARN
 * @param notes     what limits it (a page of several, an empty listing that names no account), each a sentence
 */
public record Listing(String source, Set<String> lists, boolean complete, List<LambdaFunction> functions,
    List<String> notes) {

  public Listing {
    Objects.requireNonNull(source, "source");
    lists = Set.copyOf(lists);
    functions = functions.stream().sorted().toList();
    notes = List.copyOf(notes);
  }

  /** How an account and region are named in {@link #lists}. */
  public static String key(String accountId, String region) {
    return accountId + "/" + region;
  }
}
