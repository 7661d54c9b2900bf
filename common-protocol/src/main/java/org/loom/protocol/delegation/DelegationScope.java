package org.loom.protocol.delegation;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.loom.protocol.envelope.Envelope;

/**
 * Delegation scope patterns (spec §13.2) and the actions they allow.
 *
 * <p>A pattern is {@code *} (everything), a prefix pattern ending in {@code *} ({@code calendar.*} needs the text
 * {@code calendar.}; {@code calendar*} also takes {@code calendarX}), or an exact action. An envelope's action is its
 * trimmed {@code content.structured.intent}, or {@code <type>.send@v1} when it has none; a trailing {@code @vN}
 * version is optional when matching, so the pattern {@code message.general} allows {@code message.general@v1}.
 */
public final class DelegationScope {

    /** The pattern that allows every action; only a root link may carry it. */
    public static final String ALL = "*";

    private static final Pattern VERSION_SUFFIX = Pattern.compile("@v\\d+$", Pattern.CASE_INSENSITIVE);

    private DelegationScope() {
    }

    /** The action an envelope performs, as scopes see it. */
    public static String envelopeAction(String intent, String envelopeType) {
        if (intent != null && !intent.trim().isEmpty()) {
            return intent.trim();
        }
        return Objects.requireNonNull(envelopeType, "envelopeType") + ".send@v1";
    }

    /** The action an envelope performs, as scopes see it. */
    public static String envelopeAction(Envelope envelope) {
        return envelopeAction(envelope.intent().orElse(null), envelope.type());
    }

    /** The names an action can be matched under: itself, and itself without a trailing {@code @vN}. */
    public static List<String> actionCandidates(String action) {
        String unversioned = VERSION_SUFFIX.matcher(action).replaceFirst("");
        return unversioned.equals(action) ? List.of(action) : List.of(action, unversioned);
    }

    /** True when one pattern matches one action name exactly as written (no version stripping). */
    public static boolean matches(String pattern, String actionName) {
        if (ALL.equals(pattern)) {
            return true;
        }
        if (pattern.endsWith("*")) {
            return actionName.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(actionName);
    }

    /** True when some pattern of the scope matches the action or its unversioned name. */
    public static boolean allows(List<String> scope, String action) {
        List<String> candidates = actionCandidates(action);
        for (String pattern : scope) {
            for (String candidate : candidates) {
                if (matches(pattern, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when a parent pattern covers a child pattern: {@code *} covers everything, a prefix pattern covers any
     * child that starts with its prefix (wildcard children included), and an exact pattern covers only itself.
     */
    public static boolean covers(String parentPattern, String childPattern) {
        if (ALL.equals(parentPattern) || parentPattern.equals(childPattern)) {
            return true;
        }
        if (parentPattern.endsWith("*")) {
            return childPattern.startsWith(parentPattern.substring(0, parentPattern.length() - 1));
        }
        return false;
    }

    /** True when every child pattern is covered by some parent pattern; equal scopes are subsets. */
    public static boolean isSubset(List<String> child, List<String> parent) {
        for (String childPattern : child) {
            boolean covered = false;
            for (String parentPattern : parent) {
                if (covers(parentPattern, childPattern)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    /**
     * The rule a sub-delegation must meet (spec §13.2: "strict subsets"): a subset whose set of patterns differs from
     * the parent's. Handing a scope on unchanged is refused, so every hop of a chain narrows the authority.
     */
    public static boolean isStrictSubset(List<String> child, List<String> parent) {
        return isSubset(child, parent) && !new HashSet<>(child).equals(new HashSet<>(parent));
    }

    /** True when the scope holds the all-actions pattern. */
    public static boolean containsAll(List<String> scope) {
        return scope.contains(ALL);
    }
}
