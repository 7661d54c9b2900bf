package org.loom.email.intent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.loom.email.intent.IntentExtractor.EmailSignals;
import org.loom.email.parse.MailHeaders;

class IntentExtractorTest {

    private static final String INVITE = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR";
    private static final String RSVP = "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR";

    static Stream<Arguments> table() {
        return Stream.of(
                // subject, text, headers, calendar -> intent, confidence
                row("Lunch", "See you there.", "Auto-Submitted: auto-replied", null,
                        "notification.autoreply@v1", 0.95),
                row("Lunch", "x", "Auto-Submitted: no", null, "message.general@v1", 0.25),
                row("Hi", "I am away", "X-Autoreply: yes", null, "notification.autoreply@v1", 0.9),
                row("Out of Office: back Monday", "Away.", "", null, "notification.autoreply@v1", 0.8),
                row("Automatic reply: Budget", "Away.", "", null, "notification.autoreply@v1", 0.8),
                row("Team sync", "Invitation attached", "", INVITE, "event.invite@v1", 0.9),
                row("Accepted: Team sync", "", "", RSVP, "event.rsvp@v1", 0.9),
                row("Weekly digest", "News of the week", "List-Id: <news.example.com>", null,
                        "notification.system@v1", 0.6),
                row("Offers", "Deals", "Precedence: bulk", null, "notification.system@v1", 0.6),
                row("Re: Budget approval", "Approved, go ahead.", "", null, "approval.response@v1", 0.55),
                row("Budget", "Could you approve the Q3 budget", "", null, "approval.request@v1", 0.5),
                row("Quick chat", "Can we schedule a call next week", "", null, "schedule.meeting@v1", 0.5),
                row("Lunch", "Shall we meet at noon?", "", null, "schedule.meeting@v1", 0.5),
                row("Report", "Please send the report by Friday.", "", null, "task.create@v1", 0.4),
                row("ACTION REQUIRED: renew", "Your domain expires.", "", null, "task.create@v1", 0.4),
                row("Where is the file?", "", "", null, "message.question@v1", 0.45),
                row("Hello", "Did you get my note? Thanks.", "", null, "message.question@v1", 0.45),
                row("Link", "See https://example.com/a?b=c for details.", "", null, "message.general@v1", 0.25),
                row("Thanks", "Thanks for yesterday.", "", null, "message.general@v1", 0.25),
                row(null, null, "", null, "message.general@v1", 0.25),
                // Quoted text and the message under a reply separator do not count.
                row("Re: Thanks", "Great.\n> Can we schedule a call?\n", "", null, "message.general@v1", 0.25),
                row("Re: Thanks", "Great.\n\nOn Mon, 1 Jan 2026, Ann wrote:\nPlease send the report?", "", null,
                        "message.general@v1", 0.25));
    }

    private static Arguments row(String subject, String text, String headers, String calendar, String intent,
            double confidence) {
        return Arguments.of(subject, text, headers, calendar, intent, confidence);
    }

    @ParameterizedTest(name = "[{index}] {0} / {1} -> {4} {5}")
    @MethodSource("table")
    void extractsTheExpectedIntentAndConfidence(String subject, String text, String headers, String calendar,
            String intent, double confidence) {
        ExtractedIntent extracted = IntentExtractor.extract(
                new EmailSignals(subject, text, MailHeaders.parse(headers), calendar));

        assertThat(extracted.intent()).isEqualTo(intent);
        assertThat(extracted.confidence()).isEqualTo(confidence);
    }
}
