package org.loom.email.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.loom.email.parse.AddressList;
import org.loom.email.parse.AuthenticationResults;
import org.loom.email.parse.EmailAddress;
import org.loom.email.parse.EncodedWords;
import org.loom.email.parse.MailHeaders;
import org.loom.email.parse.MessageIds;
import org.loom.email.parse.ParsedMessage;
import org.loom.email.parse.RawMessageParser;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.envelope.Priority;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the bodies of {@code /v1/bridge/email/inbound} and {@code /v1/gateway/smtp/submit} into an
 * {@link InboundEmail}.
 *
 * <p>Two forms are read. The JSON form of the reference node: {@code smtp_from}/{@code from}, {@code rcpt_to},
 * {@code to}/{@code cc}/{@code bcc} (strings or arrays), {@code headers} (an object whose names are matched in any
 * case), {@code in_reply_to}, {@code references}, {@code message_id}, {@code date}, {@code subject}, {@code text},
 * {@code html}, {@code priority}, {@code attachments}, {@code extraction_confidence}, {@code auth_results},
 * {@code quarantine}. And a raw RFC 5322 message, either as the whole request body or as the JSON member
 * {@code raw}; in the latter case the JSON members above that an MTA knows better than the message
 * ({@code rcpt_to}, {@code smtp_from}, {@code auth_results}, {@code quarantine}, {@code extraction_confidence})
 * override what the message says. A body field wins over the matching header field.
 */
public final class InboundEmailReader {

    private static final String LOOM_SCHEME = "loom://";

    private InboundEmailReader() {
    }

    /** Reads a JSON request body, which may carry a raw message in {@code raw}. */
    public static InboundEmail fromJson(JsonNode body) {
        return fromJson(body, null);
    }

    /**
     * {@link #fromJson(JsonNode)} for mail whose author the node already knows (the legacy gateway's authenticated
     * user): {@code defaultSender} stands in when the body names no sender.
     */
    public static InboundEmail fromJson(JsonNode body, String defaultSender) {
        if (body == null || !body.isObject()) {
            throw LoomException.invalid("Request body must be a JSON object", Map.of());
        }
        String raw = text(body, "raw");
        if (raw != null) {
            return fromParsed(RawMessageParser.parse(raw.getBytes(StandardCharsets.UTF_8)), body, defaultSender);
        }
        MailHeaders headers = headersOf(body.get("headers"));
        EmailAddress sender = sender(firstNonBlank(firstText(body, "smtp_from", "from"), defaultSender));
        String display = firstNonBlank(text(body, "display_from"), sender.displayName());

        List<String> primary = body.has("rcpt_to") && !body.get("rcpt_to").isNull()
                ? identities(body, "rcpt_to")
                : identities(body, "to");
        String subject = firstNonBlank(text(body, "subject"),
                headers.first("Subject").map(EncodedWords::decode).orElse(null));
        String dateText = firstNonBlank(text(body, "date"), headers.first("Date").orElse(null));
        ObjectNode original = body.get("headers") instanceof ObjectNode given
                ? given.deepCopy() : LoomJson.mapper().createObjectNode();
        JsonNode attachments = body.get("attachments");
        if (attachments != null && !attachments.isNull() && !attachments.isArray()) {
            throw LoomException.invalid("attachments must be an array", LoomException.details("field", "attachments"));
        }
        return new InboundEmail(
                sender.address(),
                display,
                primary,
                identities(body, "cc"),
                identities(body, "bcc"),
                headers,
                original,
                subject,
                firstNonBlank(MessageIds.first(text(body, "message_id")),
                        headers.first("Message-ID").map(MessageIds::first).orElse(null)),
                ids(body, "in_reply_to", headers.all("In-Reply-To")),
                ids(body, "references", headers.all("References")),
                date(dateText),
                text(body, "text"),
                text(body, "html"),
                null,
                priority(text(body, "priority"), headers),
                attachments == null || attachments.isNull() ? LoomJson.mapper().createArrayNode() : attachments,
                List.of(),
                confidence(body),
                authResults(body, headers),
                body.path("quarantine").isBoolean() && body.get("quarantine").booleanValue());
    }

    /** Reads a raw RFC 5322 message posted as the whole request body. */
    public static InboundEmail fromRaw(byte[] raw) {
        return fromRaw(raw, null);
    }

    /** {@link #fromRaw(byte[])} with a sender standing in when the message has no From. */
    public static InboundEmail fromRaw(byte[] raw, String defaultSender) {
        return fromParsed(RawMessageParser.parse(raw), LoomJson.mapper().createObjectNode(), defaultSender);
    }

    private static InboundEmail fromParsed(ParsedMessage message, JsonNode overrides, String defaultSender) {
        String smtpFrom = firstText(overrides, "smtp_from", "from");
        if (smtpFrom == null && message.from() == null) {
            smtpFrom = defaultSender;
        }
        EmailAddress sender = smtpFrom != null ? sender(smtpFrom) : message.from();
        if (sender == null) {
            throw LoomException.invalid("Email has no sender (From)", LoomException.details("field", "from"));
        }
        String display = firstNonBlank(text(overrides, "display_from"),
                message.from() != null ? message.from().displayName() : null, sender.displayName());
        List<String> primary = overrides.has("rcpt_to") && !overrides.get("rcpt_to").isNull()
                ? identities(overrides, "rcpt_to")
                : toIdentities(message.to(), "to");
        Map<String, Object> headerMap = message.headers().asMap();
        return new InboundEmail(
                sender.address(),
                display,
                primary,
                toIdentities(message.cc(), "cc"),
                toIdentities(message.bcc(), "bcc"),
                message.headers(),
                LoomJson.mapper().valueToTree(headerMap),
                message.subject(),
                message.messageId(),
                message.inReplyTo(),
                message.references(),
                message.date(),
                message.text(),
                message.html(),
                message.calendar(),
                priority(text(overrides, "priority"), message.headers()),
                LoomJson.mapper().createArrayNode(),
                message.attachments(),
                confidence(overrides),
                authResults(overrides, message.headers()),
                overrides.path("quarantine").isBoolean() && overrides.get("quarantine").booleanValue());
    }

    /** The identities a recipient member names: a string list or an array of strings (each may list several). */
    static List<String> identities(JsonNode body, String field) {
        List<String> texts = JsonFields.texts(body, field);
        return texts == null ? List.of() : toIdentities(AddressList.parseAll(texts), field);
    }

    /**
     * Addresses as identities: a {@code loom://} or {@code bridge://} identity stays as written, an email address
     * becomes {@code loom://address}. An address that is no valid identity (plus-addressing, for one) is refused
     * here with the field it came from, rather than later as an anonymous envelope error.
     */
    static List<String> toIdentities(List<EmailAddress> addresses, String field) {
        List<String> identities = new ArrayList<>();
        for (EmailAddress address : addresses) {
            String identity = address.isLoomIdentity() ? address.address() : LOOM_SCHEME + address.address();
            if (LoomAddress.tryParse(identity).isEmpty()) {
                throw LoomException.invalid("Recipient is not a valid LOOM identity: " + identity,
                        LoomException.details("field", field, "value", identity));
            }
            identities.add(identity);
        }
        return identities;
    }

    private static EmailAddress sender(String text) {
        if (text == null || text.isBlank()) {
            throw LoomException.invalid("smtp_from is required", LoomException.details("field", "smtp_from"));
        }
        List<EmailAddress> parsed = AddressList.parse(text);
        if (parsed.isEmpty() || parsed.get(0).isLoomIdentity()) {
            throw LoomException.invalid("smtp_from is not an email address: " + text,
                    LoomException.details("field", "smtp_from"));
        }
        EmailAddress sender = parsed.get(0);
        if (LoomAddress.tryParse("bridge://" + sender.address()).isEmpty()) {
            throw LoomException.invalid("smtp_from cannot be a bridge identity: " + sender.address(),
                    LoomException.details("field", "smtp_from"));
        }
        return sender;
    }

    /** Header fields of the JSON form's {@code headers} object; an array value stands for a repeated field. */
    private static MailHeaders headersOf(JsonNode headers) {
        if (headers == null || headers.isNull()) {
            return MailHeaders.empty();
        }
        if (!headers.isObject()) {
            throw LoomException.invalid("headers must be an object", LoomException.details("field", "headers"));
        }
        List<MailHeaders.Field> fields = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : headers.properties()) {
            JsonNode value = entry.getValue();
            if (value.isArray()) {
                for (JsonNode item : value) {
                    fields.add(new MailHeaders.Field(entry.getKey(), headerValue(entry.getKey(), item)));
                }
            } else if (!value.isNull()) {
                fields.add(new MailHeaders.Field(entry.getKey(), headerValue(entry.getKey(), value)));
            }
        }
        return MailHeaders.of(fields);
    }

    /** A header field's value: text, or a number or boolean written as text; an object or array is refused. */
    private static String headerValue(String name, JsonNode value) {
        if (!value.isValueNode() || value.isNull()) {
            throw LoomException.invalid("headers." + name + " must be a string or an array of strings",
                    LoomException.details("field", "headers"));
        }
        return value.asString();
    }

    private static List<String> ids(JsonNode body, String field, List<String> headerValues) {
        JsonNode bodyValue = body.get(field);
        if (bodyValue != null && !bodyValue.isNull()) {
            List<String> values = JsonFields.texts(body, field);
            List<String> parsed = MessageIds.parseAll(values);
            if (!parsed.isEmpty()) {
                return parsed;
            }
        }
        return MessageIds.parseAll(headerValues);
    }

    /** An RFC 3339 or RFC 5322 date; null when absent or unreadable (the envelope is then dated now). */
    private static Instant date(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return Timestamps.parse(text.strip()).orElseGet(() -> RawMessageParser.date(text));
    }

    /**
     * The stated priority, else one read from {@code Importance} / {@code X-Priority}; null when neither says
     * anything, and a 400 for a stated value outside the protocol's four.
     */
    private static String priority(String stated, MailHeaders headers) {
        if (stated != null) {
            return Priority.fromWire(stated).map(Priority::wireName).orElseThrow(() -> LoomException.invalid(
                    "priority must be low, normal, high or urgent", LoomException.details("field", "priority")));
        }
        String importance = headers.first("Importance").map(v -> v.strip().toLowerCase(Locale.ROOT)).orElse("");
        String xPriority = headers.first("X-Priority").map(String::strip).orElse("");
        if (importance.equals("high") || xPriority.startsWith("1") || xPriority.startsWith("2")) {
            return Priority.HIGH.wireName();
        }
        if (importance.equals("low") || xPriority.startsWith("4") || xPriority.startsWith("5")) {
            return Priority.LOW.wireName();
        }
        return null;
    }

    private static Double confidence(JsonNode body) {
        JsonNode value = body.get("extraction_confidence");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !(value.doubleValue() >= 0 && value.doubleValue() <= 1)) {
            throw LoomException.invalid("extraction_confidence must be a number between 0 and 1",
                    LoomException.details("field", "extraction_confidence"));
        }
        return value.doubleValue();
    }

    /** What the caller states wins (an MTA that verified the mail); else the nearest Authentication-Results. */
    private static Map<String, String> authResults(JsonNode body, MailHeaders headers) {
        JsonNode stated = body.get("auth_results");
        Map<String, String> results = AuthenticationResults.read(headers);
        if (stated == null || stated.isNull()) {
            return results;
        }
        if (!stated.isObject()) {
            throw LoomException.invalid("auth_results must be an object", LoomException.details("field", "auth_results"));
        }
        Map<String, String> merged = new LinkedHashMap<>(results);
        for (Map.Entry<String, JsonNode> entry : stated.properties()) {
            if (entry.getValue().isString()) {
                merged.put(entry.getKey(), entry.getValue().stringValue());
            }
        }
        return merged;
    }

    private static String text(JsonNode body, String field) {
        return JsonFields.text(body, field);
    }

    private static String firstText(JsonNode body, String... fields) {
        for (String field : fields) {
            String value = text(body, field);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
