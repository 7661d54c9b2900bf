package org.loom.system;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.loom.protocol.json.LoomJson;
import org.loom.testsupport.client.NodeAnswer;
import org.loom.testsupport.client.NodeClient;

import tools.jackson.databind.node.ObjectNode;

/**
 * A client that keeps mailing out envelopes through the email outbox ({@code POST /v1/email/outbox}), each email with
 * a subject of its own so the SMTP server's copy can be told apart.
 *
 * <p>An email whose answer is lost or late (no answer, 502, 503) is <em>not</em> retried: the gateway forwards this
 * write to the email-bridge and frees its {@code Idempotency-Key} on a 502, so a retry could queue the email a second
 * time (a known limit, docs/operations.md). Such an email is "unknown": it may arrive, at most once.
 */
final class EmailLoad implements AutoCloseable {

    private static final Duration PACE = Duration.ofMillis(700);

    /** What to mail: the envelope, and the token of an identity that may send it. */
    record Source(String envelopeId, String token) {
    }

    private final NodeClient node;
    private final Supplier<Source> sources;
    private final String run;
    private final Map<String, String> confirmed = new ConcurrentHashMap<>();
    private final Set<String> unknown = ConcurrentHashMap.newKeySet();
    private final List<String> anomalies = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread thread;

    EmailLoad(NodeClient node, String run, Supplier<Source> sources) {
        this.node = node;
        this.run = run;
        this.sources = sources;
    }

    EmailLoad start() {
        thread = new Thread(this::keepSending, "email-load");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Subjects of the emails the node answered 201 for, each with its outbox item id. */
    Map<String, String> confirmed() {
        return Map.copyOf(confirmed);
    }

    /** Subjects of the emails whose outcome the client never learnt. */
    Set<String> unknown() {
        return Set.copyOf(unknown);
    }

    List<String> anomalies() {
        synchronized (anomalies) {
            return List.copyOf(anomalies);
        }
    }

    /** The subject every email of this run starts with. */
    String subjectPrefix() {
        return "fault " + run + " mail ";
    }

    private void keepSending() {
        int sent = 0;
        while (!stop.get()) {
            ChildJvm.pause(PACE);
            Source source = sources.get();
            if (source == null) {
                continue;
            }
            String subject = subjectPrefix() + (++sent);
            ObjectNode body = LoomJson.mapper().createObjectNode()
                    .put("envelope_id", source.envelopeId())
                    .put("smtp_from", "sender@fault.test")
                    .put("subject", subject)
                    .put("max_attempts", 20);
            // One mailbox: the SMTP server lists its messages in the order they came.
            body.putArray("to_email").add("inbox@mail.test");
            NodeAnswer answer;
            try {
                answer = node.post("/v1/email/outbox", source.token(), body);
            } catch (UncheckedIOException e) {
                unknown.add(subject);
                continue;
            }
            if (answer.status() == 201) {
                confirmed.put(subject, answer.body().get("id").stringValue());
            } else if (answer.status() == 502 || answer.status() == 503) {
                unknown.add(subject);
            } else {
                synchronized (anomalies) {
                    anomalies.add(subject + ": " + answer.status() + " " + answer.raw());
                }
            }
        }
    }
}
