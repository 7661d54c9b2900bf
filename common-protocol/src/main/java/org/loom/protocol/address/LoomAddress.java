package org.loom.protocol.address;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An identity address: {@code loom://local@domain} for native identities and {@code bridge://local@domain} for
 * identities bridged from email.
 *
 * <p>Instances are always valid: the canonical constructor applies the same rules as {@link #parse(String)}. The
 * local part and domain keep the spelling they were given, because identities are compared as exact strings
 * everywhere; {@link #domainKey()} and {@link #sameDomain(String)} give the case-insensitive view of the domain for
 * routing decisions.
 *
 * @param scheme    {@code loom} or {@code bridge}
 * @param localPart the part before {@code @}
 * @param domain    the part after {@code @}, as written
 */
public record LoomAddress(Scheme scheme, String localPart, String domain) {

    /** The two address schemes. */
    public enum Scheme {
        LOOM("loom"),
        BRIDGE("bridge");

        private final String text;

        Scheme(String text) {
            this.text = text;
        }

        /** The scheme name without {@code ://}. */
        public String text() {
            return text;
        }

        String uriPrefix() {
            return text + "://";
        }
    }

    // Spec §6.1 makes the local-part grammar a MUST, so upper case and a leading '.', '_' or '-' are refused here.
    private static final Pattern LOOM_LOCAL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9-]{1,63}");
    private static final int DNS_NAME_MAX = 253;

    private static final Pattern BRIDGE_LOCAL = Pattern.compile("[A-Za-z0-9._%+-]+");
    private static final Pattern BRIDGE_DOMAIN = Pattern.compile("[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    private static final Pattern URI = Pattern.compile("([a-z]+)://([^@]*)@(.*)", Pattern.DOTALL);

    public LoomAddress {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        String problem = problem(scheme, localPart, domain);
        if (problem != null) {
            throw new IllegalArgumentException("Invalid " + scheme.text() + " address " + scheme.uriPrefix()
                    + localPart + "@" + domain + ": " + problem);
        }
    }

    /**
     * Reads an address. The scheme must be written in lower case: a second spelling of the same identity would
     * defeat exact-string comparison.
     *
     * @throws IllegalArgumentException when the text is not a valid address
     */
    public static LoomAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Address is missing");
        }
        Matcher m = URI.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a loom:// or bridge:// address: " + text);
        }
        Scheme scheme = switch (m.group(1)) {
            case "loom" -> Scheme.LOOM;
            case "bridge" -> Scheme.BRIDGE;
            default -> throw new IllegalArgumentException("Not a loom:// or bridge:// address: " + text);
        };
        return new LoomAddress(scheme, m.group(2), m.group(3));
    }

    /** The address, or empty when the text is not a valid one (including {@code null}). */
    public static Optional<LoomAddress> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True when {@link #parse(String)} would accept the text. */
    public static boolean isValid(String text) {
        if (text == null) {
            return false;
        }
        Matcher m = URI.matcher(text);
        if (!m.matches()) {
            return false;
        }
        Scheme scheme = switch (m.group(1)) {
            case "loom" -> Scheme.LOOM;
            case "bridge" -> Scheme.BRIDGE;
            default -> null;
        };
        return scheme != null && problem(scheme, m.group(2), m.group(3)) == null;
    }

    /**
     * True for a native identity scoped under another ({@code agent.human@domain}). Bridged addresses never are:
     * a dot in an email local part carries no scoping.
     */
    public boolean isAgentScoped() {
        return scheme == Scheme.LOOM && localPart.indexOf('.') >= 0;
    }

    /** The domain in lower case, the form to compare and route by. */
    public String domainKey() {
        return domain.toLowerCase(Locale.ROOT);
    }

    /** True when the given domain names the same domain as this address, ignoring case. */
    public boolean sameDomain(String otherDomain) {
        return otherDomain != null && domainKey().equals(otherDomain.toLowerCase(Locale.ROOT));
    }

    /** The address as a URI, exactly as it was given. */
    @Override
    public String toString() {
        return scheme.uriPrefix() + localPart + "@" + domain;
    }

    private static String problem(Scheme scheme, String localPart, String domain) {
        return switch (scheme) {
            case LOOM -> loomProblem(localPart, domain);
            case BRIDGE -> bridgeProblem(localPart, domain);
        };
    }

    private static String loomProblem(String localPart, String domain) {
        if (!LOOM_LOCAL.matcher(localPart).matches()) {
            return "local part must match [a-z0-9][a-z0-9._-]{0,63}";
        }
        if (domain.isEmpty() || domain.length() > DNS_NAME_MAX) {
            return "domain must be a DNS name";
        }
        // split with -1 keeps empty labels, so "a..b", ".a" and "a." are caught.
        for (String label : domain.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return "domain must be a DNS name";
            }
        }
        return null;
    }

    private static String bridgeProblem(String localPart, String domain) {
        if (!BRIDGE_LOCAL.matcher(localPart).matches()) {
            return "local part must be an email local part";
        }
        if (!BRIDGE_DOMAIN.matcher(domain).matches()) {
            return "domain must end in a top-level domain of two or more letters";
        }
        return null;
    }
}
