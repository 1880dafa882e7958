package dev.trailtrim.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trailtrim.model.IamAction;
import dev.trailtrim.policy.Patterns;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The well-known AWS privilege-escalation methods, read from the one data file
 * {@code privilege-escalation.json} beside this class (its {@code sources} say where each method
 * comes from: Rhino Security Labs' list and cloudsplaining's {@code PRIVILEGE_ESCALATION_METHODS}).
 */
public final class PrivilegeEscalation {

  static final String RESOURCE = "privilege-escalation.json";

  /** A set of actions that together let a principal gain permissions it was not given. */
  public record Method(String name, String source, List<IamAction> actions, boolean undocumented) {
    public Method {
      Objects.requireNonNull(name, "name");
      actions = List.copyOf(actions);
      if (actions.isEmpty()) {
        throw new IllegalArgumentException("Privilege-escalation method '" + name + "' lists no actions");
      }
    }
  }

  /** An action that reaches another role's permissions by itself. */
  public record Alone(IamAction action, String source, String why) {}

  private static final PrivilegeEscalation DEFAULT = loadResource();

  private final List<Method> methods;
  private final List<Alone> alone;
  /**
   * The methods each action belongs to, in the order of {@link #methods}: asked for every unused action of every
   * role, a scan of all methods cost more than the rest of the ranking.
   */
  private final Map<IamAction, List<Method>> methodsByAction = new HashMap<>();

  private PrivilegeEscalation(List<Method> methods, List<Alone> alone) {
    this.methods = List.copyOf(methods);
    this.alone = List.copyOf(alone);
    for (Method method : this.methods) {
      new LinkedHashSet<>(method.actions())
          .forEach(a -> methodsByAction.computeIfAbsent(a, k -> new ArrayList<>()).add(method));
    }
  }

  public static PrivilegeEscalation loadDefault() {
    return DEFAULT;
  }

  private static PrivilegeEscalation loadResource() {
    try (InputStream in = PrivilegeEscalation.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("The privilege-escalation list " + RESOURCE + " is missing: rebuild the jar");
      }
      return parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  static PrivilegeEscalation parse(JsonNode root) {
    List<Method> methods = new ArrayList<>();
    for (JsonNode method : root.path("methods")) {
      List<IamAction> actions = new ArrayList<>();
      method.path("actions").forEach(a -> actions.add(IamAction.parse(a.asText())));
      methods.add(new Method(method.path("name").asText(), method.path("source").asText(), actions,
          method.path("undocumented").asBoolean(false)));
    }
    List<Alone> alone = new ArrayList<>();
    for (JsonNode entry : root.path("alone")) {
      alone.add(new Alone(IamAction.parse(entry.path("action").asText()), entry.path("source").asText(),
          entry.path("why").asText()));
    }
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("The privilege-escalation list has no methods: expected a 'methods' array");
    }
    return new PrivilegeEscalation(methods, alone);
  }

  public List<Method> methods() {
    return methods;
  }

  public List<Alone> alone() {
    return alone;
  }

  /**
   * Why holding {@code action} lets the role escalate, given what else it is granted; null when
   * it does not: the action reaches other roles by itself, or it belongs to a method whose every
   * action {@code granted} accepts.
   */
  public String escalation(IamAction action, Predicate<IamAction> granted) {
    for (Alone entry : alone) {
      if (entry.action().equals(action)) {
        return entry.action() + " " + entry.why();
      }
    }
    List<String> completed = new ArrayList<>();
    // The index finds what equals finds for ASCII names (all of IAM's); others are compared one by one.
    boolean ascii = Patterns.isAscii(action.service()) && Patterns.isAscii(action.name());
    for (Method method : ascii ? methodsByAction.getOrDefault(action, List.of()) : methods) {
      if (method.actions().contains(action)
          && method.actions().stream().allMatch(a -> a.equals(action) || granted.test(a))) {
        completed.add(method.name() + (method.actions().size() == 1 ? ""
            : " (" + String.join(" + ", method.actions().stream().map(IamAction::toString).toList()) + ")"));
      }
    }
    if (completed.isEmpty()) {
      return null;
    }
    int shown = Math.min(3, completed.size());
    return "completes " + String.join(", ", completed.subList(0, shown))
        + (completed.size() > shown ? " and " + (completed.size() - shown) + " more" : "");
  }
}
