package org.loom.federation.outbound;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.loom.federation.config.LocalNode;
import org.loom.federation.identity.RemoteIdentities;
import org.loom.federation.node.FederatedNode;
import org.loom.protocol.address.LoomAddress;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.kafka.EnvelopeAccepted;
import org.loom.protocol.kafka.LoomHeaders;
import org.loom.protocol.kafka.MessageType;
import org.loom.protocol.kafka.Topics;
import org.loom.service.messaging.ProcessedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Federates accepted envelopes automatically (spec §16.1): an envelope written on this node by one of its own
 * identities, with recipients on other domains, is queued once for each registered node serving those domains.
 * Envelopes that arrived by federation are not sent on. Recipients whose domain no registered node serves are
 * skipped with a log line.
 */
@Component
class AcceptedEnvelopeListener {

    private static final Logger log = LoggerFactory.getLogger(AcceptedEnvelopeListener.class);

    private final FederationOutbox outbox;
    private final RemoteIdentities identities;
    private final ProcessedMessages processed;
    private final TransactionTemplate transactions;
    private final LocalNode local;

    AcceptedEnvelopeListener(FederationOutbox outbox, RemoteIdentities identities, ProcessedMessages processed,
            TransactionTemplate transactions, LocalNode local) {
        this.outbox = outbox;
        this.identities = identities;
        this.processed = processed;
        this.transactions = transactions;
        this.local = local;
    }

    @KafkaListener(id = "federation-envelope-events", idIsGroup = false,
            topics = "#{T(org.loom.protocol.kafka.Topics).ENVELOPE_EVENTS.name()}")
    void onEnvelopeEvent(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(LoomHeaders.MESSAGE_TYPE);
        if (type != null && !MessageType.ENVELOPE_ACCEPTED.wireName()
                .equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return;
        }
        if (record.value() == null) {
            return;
        }
        EnvelopeAccepted accepted;
        try {
            accepted = LoomJson.mapper().readValue(record.value(), EnvelopeAccepted.class);
        } catch (JacksonException | IllegalArgumentException e) {
            log.error("Skipping unreadable envelope event at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        JsonNode envelope = accepted.envelope();
        Map<String, FederatedNode> destinations = destinations(envelope);
        if (destinations.isEmpty()) {
            // Most envelopes stay on this node: no outbox item, so no de-duplication record is needed either.
            return;
        }
        transactions.executeWithoutResult(status -> {
            if (!processed.firstDelivery(accepted.messageId(), Topics.ENVELOPE_EVENTS.name())) {
                return;
            }
            String sender = envelope.at("/from/identity").asString("");
            destinations.values().forEach(node -> outbox.queueGathered(node, envelope, sender));
        });
    }

    private Map<String, FederatedNode> destinations(JsonNode envelope) {
        Map<String, FederatedNode> nodes = new LinkedHashMap<>();
        if (!envelope.at("/meta/federation/source_node").isMissingNode()) {
            return nodes;
        }
        Optional<LoomAddress> sender = LoomAddress.tryParse(envelope.at("/from/identity").asString(""));
        if (sender.isEmpty() || !isLocal(sender.get())) {
            return nodes;
        }
        for (String field : List.of("to")) {
            for (JsonNode recipient : envelope.path(field)) {
                String identity = recipient.path("identity").asString("");
                Optional<LoomAddress> address = LoomAddress.tryParse(identity);
                if (address.isEmpty() || isLocal(address.get())) {
                    continue;
                }
                Optional<FederatedNode> home = identities.homeNode(identity);
                if (home.isPresent()) {
                    nodes.putIfAbsent(home.get().nodeId(), home.get());
                } else {
                    log.info("No registered node serves {}; envelope {} is not federated to it", identity,
                            envelope.path("id").asString(""));
                }
            }
        }
        return nodes;
    }

    private boolean isLocal(LoomAddress address) {
        return local.domain().isEmpty() ? identities.homeNode(address.toString()).isEmpty()
                : address.sameDomain(local.domain());
    }
}
