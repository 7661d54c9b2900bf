package org.loom.email.parse;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SPF, DKIM and DMARC verdicts a receiving MTA wrote into {@code Authentication-Results} (RFC 8601).
 *
 * <p>The bridge does not verify mail itself: it records what the MTA in front of it concluded. Only the first
 * {@code Authentication-Results} field counts, because that is the one the nearest (trusted) MTA prepended; any
 * further ones travelled with the message and could have been written by anyone.
 */
public final class AuthenticationResults {

    private static final String[] METHODS = {"spf", "dkim", "dmarc"};
    private static final Pattern RESULT = Pattern.compile("(?i)(?:^|[;\\s])(spf|dkim|dmarc)\\s*=\\s*([a-z]+)");

    private AuthenticationResults() {
    }

    /** {@code {spf, dkim, dmarc}}, each the verdict found or {@code none}. */
    public static Map<String, String> read(MailHeaders headers) {
        Map<String, String> results = new LinkedHashMap<>();
        for (String method : METHODS) {
            results.put(method, "none");
        }
        headers.first("Authentication-Results").ifPresent(value -> {
            String withoutComments = value.replaceAll("\\([^)]*\\)", " ");
            Matcher m = RESULT.matcher(withoutComments);
            while (m.find()) {
                String method = m.group(1).toLowerCase(Locale.ROOT);
                if ("none".equals(results.get(method))) {
                    results.put(method, m.group(2).toLowerCase(Locale.ROOT));
                }
            }
        });
        return results;
    }
}
