package org.loom.email.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A message index held in a map, for the pure mapping tests. */
final class MapMessageIndex implements MessageIndex {

    private final Map<String, IndexedMessage> byMessageId = new LinkedHashMap<>();
    private final Map<String, IndexedMessage> byEnvelopeId = new LinkedHashMap<>();

    void add(IndexedMessage message) {
        byMessageId.putIfAbsent(message.messageId(), message);
        byEnvelopeId.putIfAbsent(message.envelopeId(), message);
    }

    @Override
    public Optional<IndexedMessage> byMessageId(String messageId) {
        return Optional.ofNullable(byMessageId.get(messageId));
    }

    @Override
    public Optional<IndexedMessage> byEnvelopeId(String envelopeId) {
        return Optional.ofNullable(byEnvelopeId.get(envelopeId));
    }
}
