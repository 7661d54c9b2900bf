package org.loom.email.relay;

import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbound email relay. Bound from {@code loom.smtp.*} ({@code LOOM_SMTP_*}).
 *
 * @param mode                {@code disabled}, {@code stream} or {@code smtp}; empty or unknown means "decide from
 *                            url and host"
 * @param defaultFrom         sender address when a message names none
 * @param url                 {@code smtp://user:pass@host:port} or {@code smtps://...}; wins over host and port
 * @param host                SMTP server host
 * @param port                SMTP server port
 * @param secure              implicit TLS from the first byte (port 465 style)
 * @param user                SMTP AUTH user, empty for none
 * @param pass                SMTP AUTH password
 * @param requireTls          refuse to send unless the server offers STARTTLS
 * @param rejectUnauthorized  verify the server's certificate and host name
 * @param timeoutMs           connect, read and write timeout of one SMTP conversation
 */
@ConfigurationProperties("loom.smtp")
public record SmtpSettings(
        @DefaultValue("") String mode,
        @DefaultValue("") String defaultFrom,
        @DefaultValue("") String url,
        @DefaultValue("") String host,
        @DefaultValue("587") int port,
        @DefaultValue("false") boolean secure,
        @DefaultValue("") String user,
        @DefaultValue("") String pass,
        @DefaultValue("false") boolean requireTls,
        @DefaultValue("true") boolean rejectUnauthorized,
        @DefaultValue("30000") int timeoutMs) {

    /** How the relay sends. */
    public enum Mode {
        DISABLED, STREAM, SMTP;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SmtpSettings {
        mode = blankToEmpty(mode);
        defaultFrom = blankToEmpty(defaultFrom);
        url = blankToEmpty(url);
        host = blankToEmpty(host);
        user = blankToEmpty(user);
        pass = pass == null ? "" : pass;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("loom.smtp.port must be between 0 and 65535");
        }
        if (timeoutMs < 1) {
            throw new IllegalArgumentException("loom.smtp.timeout-ms must be positive");
        }
    }

    /**
     * The mode in effect, as the reference node decides it: an explicit {@code stream} or {@code disabled} holds; an
     * explicit {@code smtp} needs a url or host (else disabled); no (or an unknown) mode means smtp when a url or host
     * is set and disabled otherwise.
     */
    public Mode effectiveMode() {
        boolean hasServer = !url.isEmpty() || !host.isEmpty();
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "stream" -> Mode.STREAM;
            case "disabled" -> Mode.DISABLED;
            default -> hasServer ? Mode.SMTP : Mode.DISABLED;
        };
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }
}
