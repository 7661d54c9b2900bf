package org.loom.email.parse;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.loom.protocol.error.LoomException;

/**
 * Reads a raw RFC 5322 message, MIME multipart included, with Jakarta Mail's parser for the body structure and this
 * package's readers for the headers (which are more forgiving about address lists than Jakarta Mail's strict mode).
 *
 * <p>The first text/plain and text/html parts that are not attachments become the bodies; a text/calendar part is kept
 * for intent extraction; every other leaf part (and every attached message) becomes an attachment.
 */
public final class RawMessageParser {

    private static final Session SESSION;

    static {
        Properties props = new Properties();
        // Lenient decoding of the parameters and file names that real clients produce.
        props.setProperty("mail.mime.decodetext.strict", "false");
        props.setProperty("mail.mime.decodefilename", "true");
        props.setProperty("mail.mime.decodeparameters", "true");
        props.setProperty("mail.mime.parameters.strict", "false");
        props.setProperty("mail.mime.multipart.ignoreexistingboundaryparameter", "false");
        props.setProperty("mail.mime.multipart.allowempty", "true");
        SESSION = Session.getInstance(props);
    }

    private RawMessageParser() {
    }

    /**
     * Parses the message bytes.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} when the bytes are not a readable message
     */
    public static ParsedMessage parse(byte[] raw) {
        MailHeaders headers = MailHeaders.parse(headerBlock(raw));
        if (headers.isEmpty()) {
            throw LoomException.invalid("Raw email has no header fields", LoomException.details("field", "raw"));
        }
        Bodies bodies = new Bodies();
        try {
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            walk(message, bodies, true);
        } catch (MessagingException | IOException | RuntimeException e) {
            throw LoomException.invalid("Raw email cannot be read: " + e.getMessage(),
                    LoomException.details("field", "raw"));
        }
        List<EmailAddress> from = AddressList.parseAll(headers.all("From"));
        String subject = headers.first("Subject").map(EncodedWords::decode).orElse(null);
        return new ParsedMessage(
                headers,
                from.isEmpty() ? null : from.get(0),
                AddressList.parseAll(headers.all("To")),
                AddressList.parseAll(headers.all("Cc")),
                AddressList.parseAll(headers.all("Bcc")),
                subject,
                headers.first("Message-ID").map(MessageIds::first).orElse(null),
                MessageIds.parseAll(headers.all("In-Reply-To")),
                MessageIds.parseAll(headers.all("References")),
                headers.first("Date").map(RawMessageParser::date).orElse(null),
                bodies.text,
                bodies.html,
                bodies.calendar,
                bodies.attachments);
    }

    /** Reads an RFC 5322 date ({@code Mon, 16 Feb 2026 22:05:00 +0000}); null when it cannot be read. */
    public static Instant date(String text) {
        try {
            return new MailDateFormat().parse(text.strip()).toInstant();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static String headerBlock(byte[] raw) {
        // Header fields are ASCII by the RFC; ISO-8859-1 maps every byte to one char, so raw 8-bit headers survive
        // and are re-read as UTF-8 below when they are valid UTF-8 (RFC 6532).
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = indexOfBlankLine(all);
        String block = end < 0 ? all : all.substring(0, end);
        byte[] blockBytes = block.getBytes(StandardCharsets.ISO_8859_1);
        String utf8 = new String(blockBytes, StandardCharsets.UTF_8);
        return utf8.contains("\uFFFD") ? block : utf8;
    }

    private static int indexOfBlankLine(String text) {
        int crlf = text.indexOf("\r\n\r\n");
        int lf = text.indexOf("\n\n");
        if (crlf < 0) {
            return lf;
        }
        return lf < 0 ? crlf : Math.min(crlf, lf);
    }

    private static void walk(Part part, Bodies bodies, boolean top) throws MessagingException, IOException {
        String type = baseType(part);
        if (type.startsWith("multipart/")) {
            Object content = part.getContent();
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child, bodies, false);
                }
                return;
            }
        }
        String disposition = part.getDisposition();
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(disposition) || (!top && fileName(part) != null
                && !type.startsWith("text/plain") && !type.startsWith("text/html"));
        if (!attachment && type.equals("text/plain") && bodies.text == null) {
            bodies.text = text(part);
            return;
        }
        if (!attachment && type.equals("text/html") && bodies.html == null) {
            bodies.html = text(part);
            return;
        }
        if (type.equals("text/calendar") && bodies.calendar == null) {
            bodies.calendar = text(part);
            if (!attachment) {
                return;
            }
        }
        if (top && !attachment && type.startsWith("text/")) {
            bodies.text = text(part);
            return;
        }
        String name = fileName(part);
        if (name == null) {
            name = "part-" + (bodies.attachments.size() + 1) + extension(type);
        }
        bodies.attachments.add(new MimeAttachment(name, type, bytes(part),
                Part.INLINE.equalsIgnoreCase(disposition)));
    }

    private static String baseType(Part part) throws MessagingException {
        String header = part.getContentType();
        if (header == null) {
            return "text/plain";
        }
        try {
            return new ContentType(header).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException e) {
            return "application/octet-stream";
        }
    }

    private static String fileName(Part part) {
        try {
            String name = part.getFileName();
            return name == null || name.isBlank() ? null : MimeUtility.decodeText(name);
        } catch (MessagingException | IOException e) {
            return null;
        }
    }

    private static String text(Part part) throws MessagingException, IOException {
        byte[] bytes = bytes(part);
        return new String(bytes, charset(part));
    }

    private static Charset charset(Part part) {
        try {
            String name = new ContentType(part.getContentType()).getParameter("charset");
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(MimeUtility.javaCharset(name));
        } catch (MessagingException | RuntimeException e) {
            // An unknown or missing charset: UTF-8 reads ASCII and most modern mail correctly.
            return StandardCharsets.UTF_8;
        }
    }

    private static byte[] bytes(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static String extension(String type) {
        return switch (type) {
            case "message/rfc822" -> ".eml";
            case "text/calendar" -> ".ics";
            case "text/plain" -> ".txt";
            case "text/html" -> ".html";
            default -> ".bin";
        };
    }

    private static final class Bodies {
        private String text;
        private String html;
        private String calendar;
        private final List<MimeAttachment> attachments = new ArrayList<>();
    }
}
