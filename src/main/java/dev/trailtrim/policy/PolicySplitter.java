package dev.trailtrim.policy;

import dev.trailtrim.catalog.IamCatalog;
import dev.trailtrim.model.IamAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a policy too large for a role's inline policies into managed policies of at most
 * {@link PolicyJson#MANAGED_POLICY_LIMIT} characters each. IAM evaluates a role's policies
 * together, so the parts allow exactly what the whole allows: every Allow statement lands whole
 * in one part, or (when it alone is too large) as pieces of its Resource or Action list in
 * several; each part carries the Deny statements that may touch its Allows, so that no part
 * attached alone allows more than the whole. Deterministic: statements are placed in order, each
 * into the first part it fits.
 */
public final class PolicySplitter {

  private PolicySplitter() {}

  /** What came of a split. */
  public record Split(List<PolicyDocument> parts, List<String> notes) {
    public Split {
      parts = List.copyOf(parts);
      notes = List.copyOf(notes);
    }
  }

  public static Split split(PolicyDocument policy, int limit, IamCatalog catalog) {
    List<Statement> allows = policy.statements().stream().filter(s -> s.effect() == Effect.ALLOW).toList();
    List<Statement> denies = policy.statements().stream().filter(s -> s.effect() == Effect.DENY).toList();
    List<String> notes = new ArrayList<>();
    Sizes sizes = new Sizes(denies, catalog);
    List<Statement> pieces = new ArrayList<>();
    for (Statement allow : allows) {
      pieces.addAll(piecesOf(allow, sizes, limit));
    }
    List<PolicyDocument> documents = new ArrayList<>();
    Set<Statement> placedDenies = new LinkedHashSet<>();
    for (List<Statement> part : firstFit(pieces, sizes, limit)) {
      PolicyDocument document = document(part, denies, catalog);
      document.statements().stream().filter(s -> s.effect() == Effect.DENY).forEach(placedDenies::add);
      documents.add(document);
    }
    // A Deny that touches no Allow still belongs to the policy: it goes where it fits.
    for (Statement deny : denies) {
      if (placedDenies.contains(deny)) {
        continue;
      }
      boolean placed = false;
      for (int i = 0; i < documents.size() && !placed; i++) {
        List<Statement> statements = new ArrayList<>(documents.get(i).statements());
        statements.add(deny);
        PolicyDocument candidate = new PolicyDocument(PolicyDocument.CURRENT_VERSION, statements);
        if (size(candidate) <= limit) {
          documents.set(i, candidate);
          placed = true;
        }
      }
      if (!placed) {
        documents.add(new PolicyDocument(PolicyDocument.CURRENT_VERSION, List.of(deny)));
      }
    }
    for (int i = 0; i < documents.size(); i++) {
      int size = size(documents.get(i));
      if (size > limit) {
        notes.add("Part " + (i + 1) + " of the split suggestion is " + size + " characters, over IAM's " + limit
            + " for a managed policy: one of its statements cannot be divided further (a NotAction or NotResource"
            + " statement, or a long Condition); shorten it by hand");
      }
    }
    return new Split(documents, notes);
  }

  /** Each piece into the first part it fits (with the Denies it needs), else into a new part. */
  private static List<List<Statement>> firstFit(List<Statement> pieces, Sizes sizes, int limit) {
    List<List<Statement>> parts = new ArrayList<>();
    for (Statement piece : pieces) {
      boolean placed = false;
      for (List<Statement> part : parts) {
        List<Statement> candidate = new ArrayList<>(part);
        candidate.add(piece);
        if (sizes.of(candidate) <= limit) {
          part.add(piece);
          placed = true;
          break;
        }
      }
      if (!placed) {
        parts.add(new ArrayList<>(List.of(piece)));
      }
    }
    return parts;
  }

  /** The statement whole if it fits a part with its Denies, else pieces of its Resource or Action list that do. */
  private static List<Statement> piecesOf(Statement allow, Sizes sizes, int limit) {
    int whole = sizes.of(List.of(allow));
    if (whole <= limit) {
      return List.of(allow);
    }
    boolean byResource = allow.resources().size() > 1;
    List<String> items = byResource ? allow.resources() : allow.actions();
    if (items.size() < 2) {
      return List.of(allow); // cannot be divided; the size check of its part notes it
    }
    // The Denies of the whole statement bound those of any piece, so this estimate never falls short.
    int denies = whole - sizes.empty - sizes.of(allow);
    List<Statement> pieces = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int estimate = 0;
    for (String item : items) {
      if (current.isEmpty()) {
        current.add(item);
        estimate = sizes.empty + sizes.of(piece(allow, current, byResource, pieces.size() + 1)) + denies;
        continue;
      }
      // One more list element: its quoted text and a comma, and the brackets when the list stops being one string.
      int more = quotedLength(item) + 1 + (current.size() == 1 ? 2 : 0);
      if (estimate + more > limit) {
        pieces.add(piece(allow, current, byResource, pieces.size() + 1));
        current = new ArrayList<>(List.of(item));
        estimate = sizes.empty + sizes.of(piece(allow, current, byResource, pieces.size() + 1)) + denies;
      } else {
        current.add(item);
        estimate += more;
      }
    }
    pieces.add(piece(allow, current, byResource, pieces.size() + 1));
    List<Statement> result = new ArrayList<>();
    for (Statement piece : pieces) {
      // A piece of actions may still be too large by its resources: divide it again.
      result.addAll(!byResource && piece.resources().size() > 1 ? piecesOf(piece, sizes, limit) : List.of(piece));
    }
    return result;
  }

  /** A list element as IAM counts it: the JSON string, quotes and escapes included, whitespace excluded. */
  private static int quotedLength(String item) {
    String json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(item).toString();
    int length = 0;
    for (int i = 0; i < json.length(); i++) {
      if (!Character.isWhitespace(json.charAt(i))) {
        length++;
      }
    }
    return length;
  }

  private static Statement piece(Statement whole, List<String> items, boolean byResource, int number) {
    String sid = (whole.sid() == null ? "Allow" : whole.sid()) + "Chunk" + number;
    return byResource
        ? new Statement(sid, whole.effect(), whole.actions(), whole.notActions(), items, List.of(), whole.conditions())
        : new Statement(sid, whole.effect(), items, List.of(), whole.resources(), whole.notResources(),
            whole.conditions());
  }

  /** The Allows with the Denies that may touch them, Allows first. */
  private static PolicyDocument document(List<Statement> allows, List<Statement> denies, IamCatalog catalog) {
    List<Statement> statements = new ArrayList<>(allows);
    for (Statement deny : denies) {
      if (allows.stream().anyMatch(allow -> mayTouch(deny, allow, catalog))) {
        statements.add(deny);
      }
    }
    return new PolicyDocument(PolicyDocument.CURRENT_VERSION, statements);
  }

  /**
   * Sizes without rendering whole documents again and again: a document's size is that of the
   * empty document, plus each statement's, plus the commas between them.
   */
  private static final class Sizes {
    final int empty = size(new PolicyDocument(PolicyDocument.CURRENT_VERSION, List.of()));
    private final Map<Statement, Integer> statementSizes = new HashMap<>();
    private final Map<Statement, List<Statement>> deniesOf = new HashMap<>();
    private final List<Statement> denies;
    private final IamCatalog catalog;

    Sizes(List<Statement> denies, IamCatalog catalog) {
      this.denies = denies;
      this.catalog = catalog;
    }

    int of(Statement statement) {
      return statementSizes.computeIfAbsent(statement, s -> size(new PolicyDocument(PolicyDocument.CURRENT_VERSION,
          List.of(s))) - empty);
    }

    /** The size of the document {@link #document} makes of these Allows. */
    int of(List<Statement> allows) {
      Set<Statement> withDenies = new LinkedHashSet<>(allows);
      allows.forEach(allow -> withDenies.addAll(deniesOf.computeIfAbsent(allow,
          a -> denies.stream().filter(d -> mayTouch(d, a, catalog)).toList())));
      return empty + withDenies.stream().mapToInt(this::of).sum() + Math.max(0, withDenies.size() - 1);
    }
  }

  /** Whether a Deny may apply to some action the Allow stands for (the catalog's, or a future one). */
  static boolean mayTouch(Statement deny, Statement allow, IamCatalog catalog) {
    if (!allow.notActions().isEmpty()) {
      return true;
    }
    for (String pattern : allow.actions()) {
      if (Patterns.isWildcardFree(pattern)) {
        if (PolicyEvaluator.actionApplies(deny, IamAction.parse(pattern))) {
          return true;
        }
      } else if (PolicyTightener.mayOverlap(deny, pattern)
          || catalog.matching(pattern).stream().anyMatch(info -> PolicyEvaluator.actionApplies(deny, info.action()))) {
        return true;
      }
    }
    return false;
  }

  private static int size(PolicyDocument document) {
    return PolicyJson.sizeWithoutWhitespace(document);
  }
}
