package org.loom.email.relay;

import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.loom.email.bridge.RenderedEmail;
import org.loom.email.parse.MimeAttachment;
import org.loom.email.relay.SmtpSettings.Mode;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;

/**
 * Sends rendered emails through the configured relay ({@code LOOM_SMTP_MODE}).
 *
 * <p>Bcc recipients never appear in a header: the visible copy goes to To and Cc, and every Bcc recipient gets a
 * copy of its own, sent in its own SMTP transaction with only that recipient in {@code RCPT TO}, so no copy reveals
 * another Bcc recipient (spec §21.3). The copies share the Message-ID, as copies of one message do, which keeps
 * every recipient's replies in the same thread.
 */
public class EmailRelay {

    private final SmtpSettings settings;
    private final Mode mode;
    private final Server server;
    private final Clock clock;

    public EmailRelay(SmtpSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Mode effective = settings.effectiveMode();
        this.server = effective == Mode.SMTP ? Server.of(settings) : null;
        this.mode = effective;
    }

    public Mode mode() {
        return mode;
    }

    /** Whether a send can succeed at all: false in the disabled mode. */
    public boolean enabled() {
        return mode != Mode.DISABLED;
    }

    /**
     * The relay as {@code /v1/admin/status} shows it: never the password, and the user only as a hint.
     */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("mode", mode.wireName());
        status.put("configured", mode != Mode.DISABLED);
        String host = null;
        Integer port = null;
        if (mode == Mode.STREAM) {
            host = "stream";
            port = 0;
        } else if (server != null) {
            host = server.fromUrl ? "url" : server.host;
            port = server.port;
        }
        status.put("host", host);
        status.put("port", port);
        status.put("secure", server != null && server.secure);
        status.put("has_auth", server != null && !server.user.isEmpty());
        if (server != null && !server.user.isEmpty()) {
            String user = server.user;
            status.put("auth_user_hint", user.length() <= 6 ? "***" : user.substring(0, 2) + "***"
                    + user.substring(user.length() - 2));
        }
        status.put("enabled", enabled());
        status.put("default_from", settings.defaultFrom().isEmpty() ? null : settings.defaultFrom());
        return status;
    }

    /**
     * Sends the email: one message to To and Cc, one per Bcc recipient.
     *
     * @throws LoomException {@code ENVELOPE_INVALID} for an email without recipients or sender;
     *         {@code BRIDGE_DELIVERY_FAILED} when the relay is disabled or the server refuses or cannot be reached
     */
    public RelayResult send(RenderedEmail email) {
        return send(email, List.of());
    }

    /**
     * {@link #send(RenderedEmail)} with files attached: the message becomes {@code multipart/mixed}, the text and
     * HTML alternatives first, then one part per file (inline files as {@code Content-Disposition: inline}).
     */
    public RelayResult send(RenderedEmail email, List<MimeAttachment> files) {
        if (email.rcptTo().isEmpty()) {
            throw LoomException.invalid("Email has no recipients", LoomException.details("field", "rcpt_to"));
        }
        String from = email.smtpFrom() != null && !email.smtpFrom().isBlank()
                ? email.smtpFrom() : settings.defaultFrom();
        if (from.isEmpty()) {
            throw LoomException.invalid("Email has no sender: set smtp_from or LOOM_SMTP_DEFAULT_FROM",
                    LoomException.details("field", "smtp_from"));
        }
        if (mode == Mode.DISABLED) {
            throw new LoomException(ErrorCode.BRIDGE_DELIVERY_FAILED, "Email relay is not configured");
        }
        Session session = session();
        List<Transaction> transactions = new ArrayList<>();
        List<String> visible = new ArrayList<>(email.to());
        visible.addAll(email.cc());
        try {
            if (!visible.isEmpty()) {
                transactions.add(new Transaction(message(session, email, from, files), visible));
            }
            for (String hidden : email.bcc()) {
                transactions.add(new Transaction(message(session, email, from, files), List.of(hidden)));
            }
        } catch (MessagingException e) {
            throw LoomException.invalid("Email cannot be built: " + e.getMessage(), Map.of());
        }
        return mode == Mode.STREAM ? stream(email, transactions) : smtp(session, email, transactions);
    }

    private RelayResult stream(RenderedEmail email, List<Transaction> transactions) {
        long bytes = 0;
        try {
            for (Transaction transaction : transactions) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                transaction.message().writeTo(out);
                bytes += out.size();
            }
        } catch (MessagingException | IOException e) {
            throw failure(e);
        }
        return new RelayResult(email.messageId(), email.rcptTo(), List.of(),
                "stream: " + transactions.size() + " message(s), " + bytes + " bytes, not sent", "stream");
    }

    private RelayResult smtp(Session session, RenderedEmail email, List<Transaction> transactions) {
        List<String> accepted = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        String response = null;
        try (Transport transport = session.getTransport(server.secure ? "smtps" : "smtp")) {
            transport.connect(server.host, server.port, server.user.isEmpty() ? null : server.user,
                    server.pass.isEmpty() ? null : server.pass);
            for (Transaction transaction : transactions) {
                Address[] recipients = addresses(transaction.recipients());
                try {
                    transport.sendMessage(transaction.message(), recipients);
                    accepted.addAll(transaction.recipients());
                } catch (SendFailedException e) {
                    // Some recipients were refused; the others were sent the message.
                    collect(e.getValidSentAddresses(), accepted);
                    collect(e.getInvalidAddresses(), rejected);
                    collect(e.getValidUnsentAddresses(), rejected);
                    if (e.getInvalidAddresses() == null && e.getValidUnsentAddresses() == null) {
                        throw e;
                    }
                }
                if (transport instanceof SMTPTransport smtp) {
                    response = smtp.getLastServerResponse();
                }
            }
        } catch (MessagingException e) {
            throw failure(e);
        }
        if (accepted.isEmpty()) {
            throw new LoomException(ErrorCode.BRIDGE_DELIVERY_FAILED,
                    "Email relay send failed: every recipient was refused", LoomException.details("rejected", rejected));
        }
        return new RelayResult(email.messageId(), accepted, rejected, response == null ? null : response.strip(),
                "smtp");
    }

    private MimeMessage message(Session session, RenderedEmail email, String from, List<MimeAttachment> files)
            throws MessagingException {
        MimeMessage message = new FixedIdMessage(session, email.messageId());
        message.setFrom(new InternetAddress(from));
        if (!email.to().isEmpty()) {
            message.setRecipients(Message.RecipientType.TO, addresses(email.to()));
        }
        if (!email.cc().isEmpty()) {
            message.setRecipients(Message.RecipientType.CC, addresses(email.cc()));
        }
        if (email.to().isEmpty() && email.cc().isEmpty()) {
            message.setHeader("To", "undisclosed-recipients:;");
        }
        message.setSubject(email.subject().isEmpty() ? "(no subject)" : email.subject(), "UTF-8");
        message.setSentDate(Date.from(clock.instant()));
        for (Map.Entry<String, String> header : email.headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Message-ID")) {
                message.setHeader(header.getKey(), header.getValue());
            }
        }
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(email.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(email.html(), "UTF-8", "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        if (files.isEmpty()) {
            message.setContent(alternative);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            body.setContent(alternative);
            mixed.addBodyPart(body);
            for (MimeAttachment file : files) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(file.data(), file.contentType())));
                part.setFileName(file.filename());
                part.setDisposition(file.inline() ? Part.INLINE : Part.ATTACHMENT);
                mixed.addBodyPart(part);
            }
            message.setContent(mixed);
        }
        message.saveChanges();
        return message;
    }

    private static Address[] addresses(List<String> emails) {
        Address[] out = new Address[emails.size()];
        for (int i = 0; i < emails.size(); i++) {
            try {
                out[i] = new InternetAddress(emails.get(i), true);
            } catch (AddressException e) {
                throw LoomException.invalid("Not an email address: " + emails.get(i),
                        LoomException.details("field", "rcpt_to", "value", emails.get(i)));
            }
        }
        return out;
    }

    private static void collect(Address[] addresses, List<String> into) {
        if (addresses != null) {
            for (Address address : addresses) {
                into.add(((InternetAddress) address).getAddress());
            }
        }
    }

    private static LoomException failure(Exception e) {
        return new LoomException(ErrorCode.BRIDGE_DELIVERY_FAILED, "Email relay send failed: " + e.getMessage(),
                Map.of(), e);
    }

    private Session session() {
        Properties props = new Properties();
        String timeout = Integer.toString(settings.timeoutMs());
        for (String protocol : List.of("smtp", "smtps")) {
            String prefix = "mail." + protocol + ".";
            props.setProperty(prefix + "connectiontimeout", timeout);
            props.setProperty(prefix + "timeout", timeout);
            props.setProperty(prefix + "writetimeout", timeout);
            if (server != null) {
                props.setProperty(prefix + "auth", Boolean.toString(!server.user.isEmpty()));
                props.setProperty(prefix + "starttls.enable", "true");
                props.setProperty(prefix + "starttls.required", Boolean.toString(settings.requireTls()));
                if (settings.rejectUnauthorized()) {
                    props.setProperty(prefix + "ssl.checkserveridentity", "true");
                } else {
                    props.setProperty(prefix + "ssl.trust", "*");
                    props.setProperty(prefix + "ssl.checkserveridentity", "false");
                }
            }
        }
        props.setProperty("mail.mime.charset", "UTF-8");
        return Session.getInstance(props);
    }

    private record Transaction(MimeMessage message, List<String> recipients) {
    }

    /** Where the smtp mode connects, from {@code LOOM_SMTP_URL} or the host settings. */
    private record Server(String host, int port, boolean secure, String user, String pass, boolean fromUrl) {

        static Server of(SmtpSettings settings) {
            if (settings.url().isEmpty()) {
                return new Server(settings.host(), settings.port(), settings.secure(), settings.user(),
                        settings.pass(), false);
            }
            URI uri = URI.create(settings.url());
            boolean secure = "smtps".equalsIgnoreCase(uri.getScheme());
            if (!secure && !"smtp".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("loom.smtp.url must start with smtp:// or smtps://");
            }
            String user = settings.user();
            String pass = settings.pass();
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                pass = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            }
            int port = uri.getPort() > 0 ? uri.getPort() : secure ? 465 : 587;
            return new Server(uri.getHost(), port, secure, user, pass, true);
        }
    }

    /** Keeps the Message-ID the bridge chose; Jakarta Mail would otherwise make up a new one on saving. */
    private static final class FixedIdMessage extends MimeMessage {

        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + messageId + ">");
        }
    }
}
