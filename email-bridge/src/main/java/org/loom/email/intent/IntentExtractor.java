package org.loom.email.intent;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.loom.email.parse.MailHeaders;

/**
 * Best-effort intent extraction for email bridged into LOOM (spec §21.2, §22.3).
 *
 * <p>A fixed list of rules is tried in order and the first that matches decides. Signals that mail systems set on
 * purpose (auto-reply headers, calendar parts, list headers) come first and carry high confidence; word patterns in
 * the subject and the author's own text come after and carry less; everything else is {@code message.general@v1} at
 * 0.25. Quoted lines ({@code > ...}) and everything after a reply separator are ignored, so a reply is not classified
 * by the message it quotes.
 */
public final class IntentExtractor {

    /** What the extraction looks at. Any field may be null. */
    public record EmailSignals(String subject, String text, MailHeaders headers, String calendar) {

        public EmailSignals {
            headers = headers == null ? MailHeaders.empty() : headers;
        }
    }

    private record Rule(String name, String intent, double confidence, Function<Prepared, Boolean> test) {
    }

    private record Prepared(String subject, String body, MailHeaders headers, String calendar) {

        String subjectAndBody() {
            return subject + "\n" + body;
        }
    }

    public static final ExtractedIntent GENERAL = new ExtractedIntent("message.general@v1", 0.25, "default");

    private static final int BODY_LIMIT = 4000;
    private static final Pattern REPLY_SEPARATOR = Pattern.compile(
            "(?im)^(-{2,}\\s*original message\\s*-{2,}|on .{1,200} wrote:\\s*$|from: .+@.+$)");
    private static final Pattern AUTO_SUBJECT = Pattern.compile(
            "(?i)^\\s*(out of (the )?office|automatic reply|auto(-|matic )?reply|autoreply|auto:)");
    private static final Pattern APPROVAL_RESPONSE = Pattern.compile(
            "(?i)^\\s*(approved|rejected|declined|denied|not approved)\\b");
    private static final Pattern APPROVAL_REQUEST = Pattern.compile(
            "(?i)\\b(approval|approve|sign[- ]?off|authori[sz]e|authori[sz]ation)\\b");
    private static final Pattern MEETING = Pattern.compile(
            "(?i)\\b(meet|meeting|meet up|schedule a (call|meeting|chat)|set up a (call|meeting)|availability|"
                    + "are you (free|available)|book a (time|slot))\\b");
    private static final Pattern TASK = Pattern.compile(
            "(?i)(\\baction required\\b|\\bto-?do\\b|\\bplease (send|review|prepare|update|fix|complete|check|sign|"
                    + "submit|share|provide|confirm)\\b|\\b(by|before) (monday|tuesday|wednesday|thursday|friday|"
                    + "saturday|sunday|tomorrow|eod|end of (the )?day|end of (the )?week)\\b)");
    // A question mark that ends a sentence, not one inside a link's query string.
    private static final Pattern QUESTION_MARK = Pattern.compile("\\?(\\s|$)");

    private static final List<Rule> RULES = List.of(
            new Rule("auto_submitted_header", "notification.autoreply@v1", 0.95, p -> isAutoSubmitted(p.headers())),
            new Rule("autoreply_header", "notification.autoreply@v1", 0.9, p -> hasAutoReplyHeader(p.headers())),
            new Rule("autoreply_subject", "notification.autoreply@v1", 0.8,
                    p -> AUTO_SUBJECT.matcher(p.subject()).find()),
            new Rule("calendar_request", "event.invite@v1", 0.9, p -> calendarMethod(p.calendar()).equals("REQUEST")),
            new Rule("calendar_reply", "event.rsvp@v1", 0.9, p -> calendarMethod(p.calendar()).equals("REPLY")),
            new Rule("list_headers", "notification.system@v1", 0.6, p -> isBulk(p.headers())),
            new Rule("approval_response", "approval.response@v1", 0.55,
                    p -> isReply(p.subject()) && APPROVAL_RESPONSE.matcher(p.body()).find()),
            new Rule("approval_words", "approval.request@v1", 0.5,
                    p -> APPROVAL_REQUEST.matcher(p.subjectAndBody()).find()),
            new Rule("meeting_words", "schedule.meeting@v1", 0.5, p -> MEETING.matcher(p.subjectAndBody()).find()),
            new Rule("task_words", "task.create@v1", 0.4, p -> TASK.matcher(p.subjectAndBody()).find()),
            new Rule("question", "message.question@v1", 0.45, IntentExtractor::isQuestion));

    private IntentExtractor() {
    }

    public static ExtractedIntent extract(EmailSignals signals) {
        Prepared prepared = new Prepared(
                Optional.ofNullable(signals.subject()).orElse("").strip(),
                ownText(signals.text()),
                signals.headers(),
                signals.calendar());
        for (Rule rule : RULES) {
            if (rule.test().apply(prepared)) {
                return new ExtractedIntent(rule.intent(), rule.confidence(), rule.name());
            }
        }
        return GENERAL;
    }

    /** The author's own text: quoted lines and everything from a reply separator on are dropped. */
    static String ownText(String text) {
        if (text == null) {
            return "";
        }
        String limited = text.length() > BODY_LIMIT ? text.substring(0, BODY_LIMIT) : text;
        var separator = REPLY_SEPARATOR.matcher(limited);
        if (separator.find()) {
            limited = limited.substring(0, separator.start());
        }
        StringBuilder own = new StringBuilder();
        for (String line : limited.split("\r\n|\n|\r")) {
            if (!line.stripLeading().startsWith(">")) {
                own.append(line).append('\n');
            }
        }
        return own.toString().strip();
    }

    private static boolean isAutoSubmitted(MailHeaders headers) {
        return headers.first("Auto-Submitted")
                .map(v -> !v.strip().toLowerCase(Locale.ROOT).startsWith("no"))
                .orElse(false);
    }

    private static boolean hasAutoReplyHeader(MailHeaders headers) {
        return headers.first("X-Autoreply").isPresent()
                || headers.first("X-Autorespond").isPresent()
                || headers.first("Precedence").map(v -> v.strip().equalsIgnoreCase("auto_reply")).orElse(false);
    }

    private static boolean isBulk(MailHeaders headers) {
        return headers.first("List-Id").isPresent()
                || headers.first("List-Unsubscribe").isPresent()
                || headers.first("Precedence").map(v -> v.strip().toLowerCase(Locale.ROOT))
                        .map(v -> v.equals("bulk") || v.equals("list") || v.equals("junk")).orElse(false);
    }

    private static String calendarMethod(String calendar) {
        if (calendar == null) {
            return "";
        }
        for (String line : calendar.split("\r\n|\n|\r")) {
            if (line.regionMatches(true, 0, "METHOD:", 0, 7)) {
                return line.substring(7).strip().toUpperCase(Locale.ROOT);
            }
        }
        return "";
    }

    private static boolean isReply(String subject) {
        return subject.regionMatches(true, 0, "re:", 0, 3) || subject.regionMatches(true, 0, "aw:", 0, 3);
    }

    private static boolean isQuestion(Prepared p) {
        if (p.subject().endsWith("?")) {
            return true;
        }
        String firstParagraph = p.body().split("\\n\\s*\\n", 2)[0];
        return QUESTION_MARK.matcher(firstParagraph).find();
    }
}
