package org.loom.envelope.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.loom.envelope.RunningEnvelopeService;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.IdentityChanged;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.Topics;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/** The identity read model follows the gateway's identity change records from the real broker. */
class IdentityViewTest extends RunningEnvelopeService {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    private KafkaTemplate<String, String> kafka;

    @Autowired
    private IdentityView view;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void identityChangeRecordFillsTheViewAndALaterOneReplacesIt() throws Exception {
        String identity = "loom://ident-" + UUID.randomUUID().toString().substring(0, 8) + "@node.test";
        Instant changedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        IdentityChanged.Key first = key("k_sign_1", IdentityChanged.Key.ACTIVE);
        publish(new IdentityChanged("msg_" + UUID.randomUUID(), identity, "human", List.of(first), false, changedAt));

        await().atMost(TIMEOUT).until(() -> view.find(identity).isPresent());
        KnownIdentity known = view.find(identity).orElseThrow();
        assertThat(known.identityType()).isEqualTo("human");
        assertThat(known.keys()).containsExactly(first);
        assertThat(known.changedAt()).isEqualTo(changedAt);

        IdentityChanged.Key second = key("k_sign_2", IdentityChanged.Key.ACTIVE);
        IdentityChanged.Key firstRevoked = new IdentityChanged.Key(first.keyId(), first.publicKeyPem(),
                IdentityChanged.Key.REVOKED);
        publish(new IdentityChanged("msg_" + UUID.randomUUID(), identity, "human", List.of(firstRevoked, second),
                false, changedAt.plusSeconds(1)));

        await().atMost(TIMEOUT).until(() -> view.find(identity).orElseThrow().keys().size() == 2);
        assertThat(view.find(identity).orElseThrow().keys()).containsExactly(firstRevoked, second);
    }

    @Test
    void redeliveredAndOutdatedRecordsChangeNothing() throws Exception {
        String identity = "loom://ident-" + UUID.randomUUID().toString().substring(0, 8) + "@node.test";
        Instant changedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        IdentityChanged current = new IdentityChanged("msg_" + UUID.randomUUID(), identity, "agent",
                List.of(key("k_sign_new", IdentityChanged.Key.ACTIVE)), false, changedAt);
        publish(current);
        publish(current);
        publish(new IdentityChanged("msg_" + UUID.randomUUID(), identity, "human",
                List.of(key("k_sign_old", IdentityChanged.Key.ACTIVE)), false, changedAt.minusSeconds(60)));
        String marker = "loom://marker-" + UUID.randomUUID().toString().substring(0, 8) + "@node.test";
        // Same key, same partition: once the marker is applied, the records before it have been handled.
        publishKeyed(identity, new IdentityChanged("msg_" + UUID.randomUUID(), marker, "human", List.of(), false,
                changedAt));

        await().atMost(TIMEOUT).until(() -> view.find(marker).isPresent());
        KnownIdentity known = view.find(identity).orElseThrow();
        assertThat(known.identityType()).isEqualTo("agent");
        assertThat(known.keys()).extracting(IdentityChanged.Key::keyId).containsExactly("k_sign_new");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM processed_message WHERE message_id = ?", Long.class,
                current.messageId())).isEqualTo(1L);
    }

    @Test
    void deletedIdentityLeavesTheView() throws Exception {
        String identity = "loom://ident-" + UUID.randomUUID().toString().substring(0, 8) + "@node.test";
        Instant changedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publish(new IdentityChanged("msg_" + UUID.randomUUID(), identity, "human",
                List.of(key("k_sign_1", IdentityChanged.Key.ACTIVE)), false, changedAt));
        await().atMost(TIMEOUT).until(() -> view.find(identity).isPresent());

        publish(new IdentityChanged("msg_" + UUID.randomUUID(), identity, "human", List.of(), true,
                changedAt.plusSeconds(1)));

        await().atMost(TIMEOUT).until(() -> view.find(identity).isEmpty());
    }

    private static IdentityChanged.Key key(String keyId, String status) {
        return new IdentityChanged.Key(keyId, SigningKey.generate().verifyingKey().toSpkiPem(), status);
    }

    private void publish(IdentityChanged change) throws Exception {
        publishKeyed(change.identity(), change);
    }

    private void publishKeyed(String key, IdentityChanged change) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.IDENTITY_CHANGES.name(), key,
                LoomJson.mapper().writeValueAsString(change));
        record.headers()
                .add(LoomHeaders.MESSAGE_ID, change.messageId().getBytes(StandardCharsets.UTF_8))
                .add(LoomHeaders.MESSAGE_TYPE, MessageType.IDENTITY_CHANGED.wireName().getBytes(StandardCharsets.UTF_8));
        kafka.send(record).get(30, TimeUnit.SECONDS);
    }
}
