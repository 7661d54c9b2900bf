package org.loom.system;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * <p>Each email carries an {@code Idempotency-Key}, and one whose answer is lost or late (no answer, 502, 503) is
 * retried with the same key and body until the node answers: the gateway keeps the answer of a request it saw through,
 * and the email-bridge finds the item a keyed request queued before when the gateway lost the answer. An email still
 * undecided when the load stops is "unknown": it may arrive, at most once.
 */
final class EmailLoad implements AutoCloseable {

    private static final Duration PACE = Duration.ofMillis(700);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    /** Past every restart of the test: an email still undecided after this stays unknown. */
    private static final Duration DECISION_DEADLINE = Duration.ofMinutes(3);

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
            send(subject, source.token(), body);
        }
    }

    /** Sends one email, retrying an undecided answer with the same key, and files the outcome under its subject. */
    private void send(String subject, String token, ObjectNode body) {
        String key = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + DECISION_DEADLINE.toNanos();
        // A load told to stop leaves the email it is retrying unknown rather than outlive the test's checks.
        while (!stop.get() && System.nanoTime() < deadline) {
            NodeAnswer answer;
            try {
                answer = node.post("/v1/email/outbox", token, body, Map.of("Idempotency-Key", key));
            } catch (UncheckedIOException e) {
                ChildJvm.pause(RETRY_PAUSE);
                continue;
            }
            if (answer.status() == 201) {
                confirmed.put(subject, answer.body().get("id").stringValue());
                return;
            }
            if (answer.status() != 502 && answer.status() != 503) {
                synchronized (anomalies) {
                    anomalies.add(subject + ": " + answer.status() + " " + answer.raw());
                }
                return;
            }
            ChildJvm.pause(RETRY_PAUSE);
        }
        unknown.add(subject);
    }
}
