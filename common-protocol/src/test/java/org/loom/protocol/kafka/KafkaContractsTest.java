package org.loom.protocol.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class KafkaContractsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant AT = Instant.parse("2026-02-16T20:00:00.123Z");

    static Stream<Arguments> everyRecordType() {
        return Stream.of(
                Arguments.of(submit(), List.of("message_id", "correlation_id", "actor", "actor_type", "key_id",
                        "envelope", "received_at", "route")),
                Arguments.of(CommandResult.success("msg_2", "cor_1", 201, object("{\"envelope_id\":\"env_1\"}")),
                        List.of("message_id", "correlation_id", "status", "body", "error_code")),
                Arguments.of(accepted(), List.of("message_id", "thread_id", "envelope_id", "event_seq", "envelope")),
                Arguments.of(identityChanged(), List.of("message_id", "identity", "identity_type", "keys", "deleted",
                        "changed_at")),
                Arguments.of(new AuditRecord("msg_5", "api-gateway", "identity.register",
                        object("{\"identity\":\"loom://alice@node.test\",\"type\":\"human\"}"), AT),
                        List.of("message_id", "service", "action", "payload", "occurred_at")),
                Arguments.of(deadLetter(), List.of("message_id", "kind", "item_id", "reason", "attempts", "payload",
                        "failed_at")),
                Arguments.of(new AuthorityCommand("msg_7", "cor_7", "loom://alice@node.test",
                        AuthorityCommand.CAPABILITY_REVOKE, "cap_1", object("{}"), AT),
                        List.of("message_id", "correlation_id", "actor", "action", "subject_id", "body",
                                "received_at")),
                Arguments.of(new ThreadRelationCommand("msg_8", "thr_2", ThreadRelationCommand.LINKED, "thr_1",
                        "env_1", "blocked_by", object("{}"), AT),
                        List.of("message_id", "thread_id", "effect", "source_thread_id", "source_envelope_id",
                                "relation", "details", "decided_at")));
    }

    @ParameterizedTest
    @MethodSource("everyRecordType")
    void everyRecordRoundTripsThroughJsonWithSnakeCaseNames(LoomMessage message, List<String> expectedFields) {
        String json = JSON.writeValueAsString(message);

        assertThat(fieldNames(JSON.readTree(json))).containsExactlyElementsOf(expectedFields);
        assertThat(JSON.readValue(json, MessageType.of(message).recordClass())).isEqualTo(message);
    }

    @ParameterizedTest
    @MethodSource("everyRecordType")
    void everyRecordIgnoresFieldsAddedByNewerProducers(LoomMessage message, List<String> ignored) {
        ObjectNode tree = (ObjectNode) JSON.valueToTree(message);
        tree.put("added_in_a_later_version", "x");

        assertThat(JSON.treeToValue(tree, MessageType.of(message).recordClass())).isEqualTo(message);
    }

    @Test
    void instantsAreWrittenAsRfc3339TextNotNumbers() {
        JsonNode tree = JSON.valueToTree(submit());

        assertThat(tree.get("received_at").isString()).isTrue();
        assertThat(Timestamps.parse(tree.get("received_at").asString())).contains(AT);
    }

    @Test
    void nestedIdentityKeysUseSnakeCaseNames() {
        JsonNode key = JSON.valueToTree(identityChanged()).get("keys").get(0);

        assertThat(fieldNames(key)).containsExactly("key_id", "public_key_pem", "status");
        assertThat(key.get("status").asString()).isEqualTo("active");
    }

    @Test
    void refusalCarriesTheWireErrorCodeAndItsRegisteredStatus() {
        CommandResult refusal = CommandResult.refusal("msg_1", "cor_1", ErrorCode.THREAD_LOCKED,
                object("{\"error\":{\"code\":\"THREAD_LOCKED\"}}"));

        JsonNode tree = JSON.valueToTree(refusal);
        assertThat(tree.get("status").asInt()).isEqualTo(409);
        assertThat(tree.get("error_code").asString()).isEqualTo("THREAD_LOCKED");
        assertThat(refusal.refused()).isTrue();
    }

    @Test
    void successWritesANullErrorCode() {
        JsonNode tree = JSON.valueToTree(CommandResult.success("msg_1", "cor_1", 201, object("{}")));

        assertThat(tree.get("error_code").isNull()).isTrue();
    }

    @Test
    void rejectsRefusalWithoutErrorCode() {
        assertThatThrownBy(() -> new CommandResult("msg_1", "cor_1", 403, object("{}"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsErrorCodeWithAStatusTheRegistryDoesNotGiveIt() {
        assertThatThrownBy(() -> new CommandResult("msg_1", "cor_1", 400, object("{}"), ErrorCode.THREAD_LOCKED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("409");
    }

    @Test
    void rejectsMessageIdLongerThanTheDeduplicationColumn() {
        String tooLong = "m".repeat(65);
        assertThatThrownBy(() -> new EnvelopeAccepted(tooLong, "thr_1", "env_1", 1, object("{}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new EnvelopeAccepted("m".repeat(64), "thr_1", "env_1", 1, object("{}")).messageId()).hasSize(64);
    }

    @Test
    void rejectsEnvelopeThatIsNotAJsonObject() {
        assertThatThrownBy(() -> new EnvelopeAccepted("msg_1", "thr_1", "env_1", 1, JSON.readTree("[1]")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsEventSeqBelowOne() {
        assertThatThrownBy(() -> new EnvelopeAccepted("msg_1", "thr_1", "env_1", 0, object("{}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsUnknownKeyStatusAndDeadLetterKind() {
        assertThatThrownBy(() -> new IdentityChanged.Key("k_1", "pem", "suspended"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeadLetter("msg_1", "sms", "out_1", "x", 1, object("{}"), AT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsingARecordWithAMissingRequiredFieldFails() {
        ObjectNode tree = (ObjectNode) JSON.valueToTree(accepted());
        tree.remove("thread_id");

        assertThatThrownBy(() -> JSON.treeToValue(tree, EnvelopeAccepted.class))
                .hasRootCauseInstanceOf(NullPointerException.class);
    }

    @Test
    void recordKeepsItsOwnCopyOfTheEnvelope() {
        ObjectNode envelope = object("{\"id\":\"env_1\"}");
        EnvelopeAccepted event = new EnvelopeAccepted("msg_1", "thr_1", "env_1", 1, envelope);

        envelope.put("id", "env_changed");

        assertThat(event.envelope().get("id").asString()).isEqualTo("env_1");
    }

    @Test
    void auditPayloadKeepsItsKeyOrderThroughJson() {
        ObjectNode payload = object("{\"envelope_id\":\"env_1\",\"thread_id\":\"thr_1\",\"type\":\"message\","
                + "\"actor\":\"loom://a@x\"}");
        AuditRecord record = new AuditRecord("msg_1", "envelope-service", "envelope.ingest", payload, AT);

        AuditRecord parsed = JSON.readValue(JSON.writeValueAsString(record), AuditRecord.class);

        assertThat(fieldNames(parsed.payload())).containsExactly("envelope_id", "thread_id", "type", "actor");
    }

    @Test
    void topicNamesArePrefixedAndUnique() {
        List<String> names = Topics.all().stream().map(Topic::name).toList();

        assertThat(names).doesNotHaveDuplicates().allMatch(name -> name.startsWith("loom."));
        assertThat(names).containsExactly(
                "loom.envelope.commands",
                "loom.envelope.command-results",
                "loom.envelope.events",
                "loom.identity.changes",
                "loom.audit.records",
                "loom.federation.outbox-dlt",
                "loom.email.outbox-dlt",
                "loom.webhook.outbox-dlt");
    }

    @Test
    void allListsEveryTopicConstant() throws IllegalAccessException {
        List<Topic> constants = new ArrayList<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Topic.class) {
                constants.add((Topic) field.get(null));
            }
        }

        assertThat(Topics.all()).containsExactlyInAnyOrderElementsOf(constants);
    }

    @Test
    void auditTopicHasOnePartitionForOneGlobalChainOrder() {
        assertThat(Topics.AUDIT_RECORDS.partitions()).isEqualTo(1);
    }

    @Test
    void onlyTheIdentityTopicIsCompacted() {
        assertThat(Topics.all()).filteredOn(Topic::compacted).containsExactly(Topics.IDENTITY_CHANGES);
        assertThat(Topics.IDENTITY_CHANGES.cleanupPolicy()).isEqualTo("compact");
        assertThat(Topics.ENVELOPE_EVENTS.cleanupPolicy()).isEqualTo("delete");
    }

    @Test
    void commandAndEventTopicsShareTheirPartitionCount() {
        // Same count and same key: a thread's commands, results and events spread over partitions alike.
        assertThat(Topics.ENVELOPE_COMMANDS.partitions())
                .isEqualTo(Topics.ENVELOPE_EVENTS.partitions())
                .isEqualTo(Topics.ENVELOPE_COMMAND_RESULTS.partitions())
                .isEqualTo(12);
        assertThat(Topics.IDENTITY_CHANGES.partitions()).isEqualTo(6);
        assertThat(Topics.deadLetters("email").partitions()).isEqualTo(3);
    }

    @Test
    void everyOutboxKindHasItsDeadLetterTopic() {
        assertThat(Topics.deadLetters(DeadLetter.KIND_FEDERATION)).isEqualTo(Topics.FEDERATION_DEAD_LETTERS);
        assertThat(Topics.deadLetters(DeadLetter.KIND_EMAIL)).isEqualTo(Topics.EMAIL_DEAD_LETTERS);
        assertThat(Topics.deadLetters(DeadLetter.KIND_WEBHOOK)).isEqualTo(Topics.WEBHOOK_DEAD_LETTERS);
        assertThat(deadLetter().topic()).isEqualTo(Topics.WEBHOOK_DEAD_LETTERS);
        assertThatThrownBy(() -> Topics.deadLetters("sms")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topicsAreFoundByName() {
        assertThat(Topics.byName("loom.audit.records")).contains(Topics.AUDIT_RECORDS);
        assertThat(Topics.byName("loom.unknown")).isEmpty();
    }

    @Test
    void rejectsTopicWithoutPartitionsOrWithAnIllegalName() {
        assertThatThrownBy(() -> new Topic("loom.x", 0, false, "id")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Topic("loom x", 1, false, "id")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageTypesHaveUniqueWireNamesAndRecordClasses() {
        List<MessageType> types = Arrays.asList(MessageType.values());

        assertThat(types).extracting(MessageType::wireName).doesNotHaveDuplicates();
        assertThat(types).extracting(MessageType::recordClass).doesNotHaveDuplicates();
        assertThat(MessageType.ENVELOPE_SUBMIT.wireName()).isEqualTo("envelope.submit");
    }

    @Test
    void messageTypeIsFoundByWireNameAndByRecord() {
        for (MessageType type : MessageType.values()) {
            assertThat(MessageType.fromWireName(type.wireName())).contains(type);
        }
        assertThat(MessageType.fromWireName("envelope.unknown")).isEmpty();
        assertThat(MessageType.of(accepted())).isEqualTo(MessageType.ENVELOPE_ACCEPTED);
    }

    @Test
    void authorityCommandsNeedAKnownActionAndRevocationsTheirSubject() {
        assertThatThrownBy(() -> new AuthorityCommand("msg_1", "cor_1", "loom://a@node.test", "capability.steal",
                null, object("{}"), AT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthorityCommand("msg_1", "cor_1", "loom://a@node.test",
                AuthorityCommand.DELEGATION_REVOKE, null, object("{}"), AT)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void headerNamesAreUniqueAndPrefixed() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field field : LoomHeaders.class.getFields()) {
            if (field.getType() == String.class) {
                names.add((String) field.get(null));
            }
        }

        assertThat(names).hasSize(7).doesNotHaveDuplicates().allMatch(name -> name.startsWith("loom-"));
        assertThat(names).contains("loom-message-id", "loom-message-type", "loom-correlation-id",
                "loom-reply-partition", "loom-schema-version", "loom-origin", "loom-capability");
    }

    private static SubmitEnvelopeCommand submit() {
        return new SubmitEnvelopeCommand("msg_1", "cor_1", "loom://alice@node.test", "human", "k_sign_alice_1",
                object("{\"loom\":\"1.1\",\"id\":\"env_1\",\"thread_id\":\"thr_1\"}"), AT, "/v1/envelopes");
    }

    private static EnvelopeAccepted accepted() {
        return new EnvelopeAccepted("msg_3", "thr_1", "env_1", 7,
                object("{\"id\":\"env_1\",\"meta\":{\"event_seq\":7}}"));
    }

    private static IdentityChanged identityChanged() {
        return new IdentityChanged("msg_4", "loom://bot@node.test", "agent",
                List.of(new IdentityChanged.Key("k_1", "-----BEGIN PUBLIC KEY-----\nAA\n-----END PUBLIC KEY-----\n",
                                IdentityChanged.Key.ACTIVE),
                        new IdentityChanged.Key("k_0", "-----BEGIN PUBLIC KEY-----\nAB\n-----END PUBLIC KEY-----\n",
                                IdentityChanged.Key.REVOKED)),
                false, AT);
    }

    private static DeadLetter deadLetter() {
        return new DeadLetter("msg_6", DeadLetter.KIND_WEBHOOK, "who_1", "HTTP 503", 8,
                object("{\"id\":\"who_1\",\"status\":\"failed\"}"), AT);
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
