package org.loom.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every field/reason pair an envelope can be refused with, and their order. The expected strings are written out
 * here on purpose: they are what clients match on.
 */
class EnvelopeValidatorTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    // ---------------------------------------------------------------------------------------------------------
    // Envelopes that pass

    @Test
    void acceptsTheReferenceDigestEnvelope() {
        assertThat(EnvelopeValidator.validate(digestEnvelope())).isEmpty();
    }

    @Test
    void acceptsTheSignatureVectorEnvelopeOnceSigned() {
        JsonNode vector = resource("envelopes/envelope-signature-ed25519-v1.json").get("vector");
        ObjectNode envelope = (ObjectNode) vector.get("unsigned_envelope").deepCopy();
        ObjectNode signature = envelope.putObject("signature");
        signature.put("algorithm", "Ed25519");
        signature.put("key_id", vector.get("key_id").stringValue());
        signature.put("value", vector.get("expected_signature_base64url_legacy").stringValue());

        assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
    }

    @Test
    void refusesTheUnsignedVectorEnvelopeForItsMissingSignatureOnly() {
        JsonNode vector = resource("envelopes/envelope-signature-ed25519-v1.json").get("vector");

        assertThat(EnvelopeValidator.validate(vector.get("unsigned_envelope")))
                .containsExactly(error("signature", "signature object is required"));
    }

    @Test
    void signatureContextVectorsFailOnlyOnTheirTwentyFiveCharacterIds() {
        // These vectors exercise signing, not ids: "01JTEST00000000000000000A" is one character short of a ULID.
        JsonNode vectors = resource("envelopes/signature-context-v1.json").get("vectors");

        assertThat(vectors).hasSize(2);
        for (JsonNode vector : vectors) {
            assertThat(EnvelopeValidator.validate(vector.get("envelope"))).containsExactly(
                    error("id", "must be env_ + ULID"),
                    error("thread_id", "must be thr_ + ULID"));
        }
    }

    @Test
    void signatureContextVectorsPassWithTheirIdsCompleted() {
        JsonNode vectors = resource("envelopes/signature-context-v1.json").get("vectors");
        for (JsonNode vector : vectors) {
            ObjectNode envelope = (ObjectNode) vector.get("envelope").deepCopy();
            envelope.put("id", envelope.get("id").stringValue() + "0");
            envelope.put("thread_id", envelope.get("thread_id").stringValue() + "0");

            assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
        }
    }

    @Test
    void acceptsUnknownTypesAndUnknownFields() {
        ObjectNode envelope = digestEnvelope();
        envelope.put("type", "x.custom_kind");
        envelope.put("$schema", "https://loom-protocol.org/schema/envelope/v1.1.json");
        envelope.putObject("references").put("in_reply_to", "anything");
        envelope.putArray("labels").add(42);

        assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
    }

    @Test
    void acceptsOptionalFieldsLeftNull() {
        ObjectNode envelope = digestEnvelope();
        envelope.putNull("parent_id");
        envelope.putNull("audience");
        envelope.putNull("expires_at");
        envelope.putNull("priority");
        envelope.putNull("attachments");

        assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
    }

    @Test
    void acceptsOptionalFieldsLeftOut() {
        ObjectNode envelope = digestEnvelope();
        envelope.remove(List.of("parent_id", "audience", "expires_at", "priority", "attachments", "meta"));

        assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The whole envelope

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{}]", "\"envelope\"", "42", "true", "null"})
    void refusesAnythingButAnObjectWithThatErrorAlone(String json) {
        assertThat(EnvelopeValidator.validate(parse(json)))
                .containsExactly(error("envelope", "must be a JSON object"));
    }

    @Test
    void refusesAJavaNullAsNotAnObject() {
        assertThat(EnvelopeValidator.validate(null)).containsExactly(error("envelope", "must be a JSON object"));
    }

    @Test
    void reportsEveryMissingRequiredFieldOfAnEmptyObjectInWireOrder() {
        assertThat(EnvelopeValidator.validate(parse("{}"))).containsExactly(
                error("loom", "must be \"1.1\""),
                error("id", "must be env_ + ULID"),
                error("thread_id", "must be thr_ + ULID"),
                error("type", "must be a non-empty string"),
                error("from", "sender object is required"),
                error("to", "must contain at least one recipient"),
                error("created_at", "must be an ISO-8601 timestamp"),
                error("content", "content object is required"),
                error("signature", "signature object is required"));
    }

    @Test
    void reportsProblemsInEverySectionInWireOrderWithTypeRulesLast() {
        ObjectNode envelope = digestEnvelope();
        envelope.put("loom", "1.0");
        envelope.put("id", "env_x");
        envelope.put("thread_id", "thr_x");
        envelope.put("parent_id", "");
        envelope.put("type", "task");
        set(envelope, "from", "{\"identity\":\"loom://Alice@node.test\",\"key_id\":\"k\",\"type\":\"agent\"}");
        set(envelope, "to", "[{\"identity\":\"nobody\",\"role\":\"cc\"}]");
        set(envelope, "audience", "{\"mode\":\"custom\",\"identities\":[\"loom://ok@node.test\",\"bad\"]}");
        envelope.put("created_at", "Feb 16 2026");
        envelope.put("expires_at", "tomorrow");
        envelope.put("priority", "critical");
        set(envelope, "content", "{\"human\":{\"text\":1},\"structured\":{\"intent\":\"message.general@v1\"}}");
        set(envelope, "attachments", "[{\"id\":\"att_1\",\"blob_id\":\"blob_1\",\"hash\":\"md5:00\"}]");
        set(envelope, "signature", "{\"algorithm\":\"RSA\",\"key_id\":\"k\",\"value\":\"short\"}");

        assertThat(EnvelopeValidator.validate(envelope)).containsExactly(
                error("loom", "must be \"1.1\""),
                error("id", "must be env_ + ULID"),
                error("thread_id", "must be thr_ + ULID"),
                error("parent_id", "must be env_ + ULID or null"),
                error("from.identity", "must be a loom:// or bridge:// identity"),
                error("from.key_id", "must be present"),
                error("from.delegation_chain", "required for agent senders"),
                error("to[0].identity", "must be a loom:// or bridge:// identity"),
                error("to", "must include at least one primary recipient"),
                error("audience.identities[1]", "must be valid identities"),
                error("created_at", "must be an ISO-8601 timestamp"),
                error("expires_at", "must be null or an ISO-8601 timestamp"),
                error("priority", "must be low|normal|high|urgent"),
                error("content.human.text", "must be a string"),
                error("attachments[0].id", "must be att_ + ULID"),
                error("attachments[0].blob_id", "must be blob_ + ULID"),
                error("attachments[0].hash", "must use sha256:<hex> format"),
                error("signature.algorithm", "must be Ed25519"),
                error("signature.key_id", "must be present"),
                error("signature.value", "must be a base64url string"),
                error("content.structured.intent", "must be task.*@vN for task envelopes"));
    }

    @Test
    void parseReturnsTheTypedEnvelopeWhenValid() {
        Envelope envelope = EnvelopeValidator.parse(digestEnvelope());

        assertThat(envelope.id()).isEqualTo("env_01ARZ3NDEKTSV4RRFFQ69G5FAV");
    }

    @Test
    void parseThrowsEnvelopeInvalidWithTheErrorsAsOrderedFieldReasonMaps() {
        ObjectNode envelope = digestEnvelope();
        envelope.put("loom", "2.0");
        envelope.put("priority", "critical");

        LoomException thrown = catchThrowableOfType(LoomException.class, () -> EnvelopeValidator.parse(envelope));

        assertThat(thrown.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID);
        assertThat(thrown.httpStatus()).isEqualTo(400);
        assertThat(thrown.getMessage()).isEqualTo("Envelope fails validation");
        assertThat(thrown.details()).containsOnlyKeys("errors");
        assertThat(thrown.details().get("errors")).isEqualTo(List.of(
                Map.of("field", "loom", "reason", "must be \"1.1\""),
                Map.of("field", "priority", "reason", "must be low|normal|high|urgent")));
        List<?> errors = (List<?>) thrown.details().get("errors");
        assertThat(new ArrayList<Object>(((Map<?, ?>) errors.get(0)).keySet())).containsExactly("field", "reason");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Header fields

    @Nested
    class Header {

        @ParameterizedTest
        @ValueSource(strings = {"\"1.0\"", "\"1.1 \"", "1.1", "null"})
        void loomMustBeTheStringOnePointOne(String value) {
            assertOnly(with("loom", value), "loom", "must be \"1.1\"");
        }

        @Test
        void loomIsRequired() {
            assertOnly(without("loom"), "loom", "must be \"1.1\"");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"env_01arz3ndektsv4rrffq69g5fav\"", "\"thr_01ARZ3NDEKTSV4RRFFQ69G5FAV\"",
                "\"env_01ARZ3NDEKTSV4RRFFQ69G5FA\"", "\"env_01ARZ3NDEKTSV4RRFFQ69G5FAI\"", "\"\"", "7", "null"})
        void idMustBeAnEnvelopeUlid(String value) {
            assertOnly(with("id", value), "id", "must be env_ + ULID");
        }

        @Test
        void idIsRequired() {
            assertOnly(without("id"), "id", "must be env_ + ULID");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"env_01ARZ3NDEKTSV4RRFFQ69G5FAW\"", "\"thr_01ARZ3NDEKTSV4RRFFQ69G5FA\"", "\"\"",
                "{}"})
        void threadIdMustBeAThreadUlid(String value) {
            assertOnly(with("thread_id", value), "thread_id", "must be thr_ + ULID");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"\"", "\"thr_01ARZ3NDEKTSV4RRFFQ69G5FAW\"", "\"env_bad\"", "0", "false", "[]"})
        void parentIdMustBeAnEnvelopeUlidOrNull(String value) {
            assertOnly(with("parent_id", value), "parent_id", "must be env_ + ULID or null");
        }

        @Test
        void parentIdMayNameAnEnvelope() {
            assertThat(EnvelopeValidator.validate(with("parent_id", "\"env_01ARZ3NDEKTSV4RRFFQ69G5FB0\"")))
                    .isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"\"", "5", "null", "[\"message\"]"})
        void typeMustBeANonEmptyString(String value) {
            assertOnly(with("type", value), "type", "must be a non-empty string");
        }

        @Test
        void typeIsRequired() {
            assertOnly(without("type"), "type", "must be a non-empty string");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // from

    @Nested
    class From {

        @ParameterizedTest
        @ValueSource(strings = {"\"loom://alice@node.test\"", "[]", "null", "1"})
        void senderMustBeAnObject(String value) {
            assertOnly(with("from", value), "from", "sender object is required");
        }

        @Test
        void senderIsRequired() {
            assertOnly(without("from"), "from", "sender object is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                // Upper case and a leading dot are refused here although a looser pattern would let them through.
                "\"loom://Alice@node.test\"", "\"loom://.alice@node.test\"", "\"loom://alice@node.test:8787\"",
                "\"mailto:alice@node.test\"", "\"bridge://alice@localhost\"", "\"\"", "null", "{}"})
        void identityMustBeALoomOrBridgeAddress(String value) {
            assertOnly(with("from.identity", value), "from.identity", "must be a loom:// or bridge:// identity");
        }

        @Test
        void identityIsRequired() {
            assertOnly(without("from.identity"), "from.identity", "must be a loom:// or bridge:// identity");
        }

        @Test
        void bridgedSendersAreAccepted() {
            ObjectNode envelope = with("from.identity", "\"bridge://Alice.Smith@gmail.com\"");
            set(envelope, "from.type", "\"bridge\"");

            assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"ab\"", "\"\"", "123", "null"})
        void keyIdMustBeAStringOfAtLeastThreeCharacters(String value) {
            assertOnly(with("from.key_id", value), "from.key_id", "must be present");
        }

        @Test
        void keyIdOfThreeCharactersIsEnough() {
            assertThat(EnvelopeValidator.validate(with("from.key_id", "\"abc\""))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"node\"", "\"Human\"", "\"\"", "null"})
        void typeMustBeOneOfTheFiveSenderTypes(String value) {
            assertOnly(with("from.type", value), "from.type", "must be one of human|agent|team|service|bridge");
        }

        @ParameterizedTest
        @ValueSource(strings = {"team", "service", "bridge"})
        void otherSenderTypesNeedNoDelegationChain(String type) {
            assertThat(EnvelopeValidator.validate(with("from.type", "\"" + type + "\""))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "{}", "\"dlg_1\""})
        void agentSendersNeedADelegationChainArray(String chain) {
            ObjectNode envelope = with("from.type", "\"agent\"");
            set(envelope, "from.delegation_chain", chain);

            assertThat(EnvelopeValidator.validate(envelope))
                    .containsExactly(error("from.delegation_chain", "required for agent senders"));
        }

        @Test
        void agentSendersWithoutAnyDelegationChainAreRefused() {
            assertOnly(with("from.type", "\"agent\""), "from.delegation_chain", "required for agent senders");
        }

        @Test
        void anEmptyDelegationChainPassesShapeValidation() {
            ObjectNode envelope = with("from.type", "\"agent\"");
            set(envelope, "from.delegation_chain", "[]");

            assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // to

    @Nested
    class To {

        @ParameterizedTest
        @ValueSource(strings = {"[]", "{}", "\"loom://bob@node.test\"", "null"})
        void recipientsMustBeANonEmptyArray(String value) {
            assertOnly(with("to", value), "to", "must contain at least one recipient");
        }

        @Test
        void recipientsAreRequired() {
            assertOnly(without("to"), "to", "must contain at least one recipient");
        }

        @Test
        void atLeastOneRecipientMustBePrimary() {
            assertOnly(with("to", "[{\"identity\":\"loom://bob@node.test\",\"role\":\"cc\"},"
                    + "{\"identity\":\"loom://carol@node.test\",\"role\":\"bcc\"}]"),
                    "to", "must include at least one primary recipient");
        }

        @Test
        void entriesMustBeObjectsAndANonObjectEntryIsNotAPrimary() {
            assertThat(EnvelopeValidator.validate(with("to", "[\"loom://bob@node.test\", null, []]")))
                    .containsExactly(
                            error("to[0]", "recipient entry must be an object"),
                            error("to[1]", "recipient entry must be an object"),
                            error("to[2]", "recipient entry must be an object"),
                            error("to", "must include at least one primary recipient"));
        }

        @Test
        void anInvalidEntryBesideAPrimaryIsReportedAlone() {
            assertOnly(with("to", "[{\"identity\":\"loom://bob@node.test\",\"role\":\"primary\"}, 5]"),
                    "to[1]", "recipient entry must be an object");
        }

        @Test
        void entryIdentitiesMustBeAddresses() {
            assertOnly(with("to", "[{\"identity\":\"loom://Bob@node.test\",\"role\":\"primary\"}]"),
                    "to[0].identity", "must be a loom:// or bridge:// identity");
        }

        @Test
        void entryRolesMustBeKnownAndAnUnknownRoleIsNotAPrimary() {
            assertThat(EnvelopeValidator.validate(
                    with("to", "[{\"identity\":\"loom://bob@node.test\",\"role\":\"owner\"}]")))
                    .containsExactly(
                            error("to[0].role", "must be primary|cc|observer|bcc"),
                            error("to", "must include at least one primary recipient"));
        }

        @Test
        void identityIsReportedBeforeRoleForEachEntryInTurn() {
            assertThat(EnvelopeValidator.validate(with("to", "[{\"role\":\"primary\"},{\"identity\":\"x\"}]")))
                    .containsExactly(
                            error("to[0].identity", "must be a loom:// or bridge:// identity"),
                            error("to[1].identity", "must be a loom:// or bridge:// identity"),
                            error("to[1].role", "must be primary|cc|observer|bcc"));
        }

        @Test
        void everyRoleIsAccepted() {
            assertThat(EnvelopeValidator.validate(with("to", "["
                    + "{\"identity\":\"loom://bob@node.test\",\"role\":\"primary\"},"
                    + "{\"identity\":\"loom://carol@node.test\",\"role\":\"cc\"},"
                    + "{\"identity\":\"loom://dave@node.test\",\"role\":\"observer\"},"
                    + "{\"identity\":\"bridge://erin@example.com\",\"role\":\"bcc\"}]"))).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // audience

    @Nested
    class AudienceField {

        @ParameterizedTest
        @ValueSource(strings = {"\"thread\"", "[]", "7", "true"})
        void audienceMustBeAnObject(String value) {
            assertOnly(with("audience", value), "audience", "must be an object");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"mode\":\"everyone\"}", "{\"mode\":\"Thread\"}", "{\"mode\":null}"})
        void modeMustBeKnown(String value) {
            assertOnly(with("audience", value), "audience.mode", "must be thread|recipients|custom");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"mode\":\"custom\"}", "{\"mode\":\"custom\",\"identities\":[]}",
                "{\"mode\":\"custom\",\"identities\":\"loom://bob@node.test\"}"})
        void customAudienceNeedsIdentities(String value) {
            assertOnly(with("audience", value), "audience.identities",
                    "must include identities for custom audience");
        }

        @Test
        void customAudienceIdentitiesMustEachBeAddresses() {
            assertThat(EnvelopeValidator.validate(with("audience",
                    "{\"mode\":\"custom\",\"identities\":[\"loom://bob@node.test\",\"bob\",7,\"loom://Bob@x.y\"]}")))
                    .containsExactly(
                            error("audience.identities[1]", "must be valid identities"),
                            error("audience.identities[2]", "must be valid identities"),
                            error("audience.identities[3]", "must be valid identities"));
        }

        @Test
        void identitiesAreOnlyReadForCustomAudiences() {
            assertThat(EnvelopeValidator.validate(with("audience",
                    "{\"mode\":\"recipients\",\"identities\":[\"not an address\"]}"))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"mode\":\"thread\"}", "{\"mode\":\"recipients\"}",
                "{\"mode\":\"custom\",\"identities\":[\"loom://bob@node.test\",\"bridge://x@mail.example.com\"]}"})
        void wellFormedAudiencesPass(String value) {
            assertThat(EnvelopeValidator.validate(with("audience", value))).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // created_at, expires_at, priority

    @Nested
    class TimesAndPriority {

        @ParameterizedTest
        @ValueSource(strings = {
                // Forms a lenient date parser would take; only RFC 3339 date-times are accepted.
                "\"2026-02-16\"", "\"2026\"", "\"1\"", "\"Feb 16 2026\"", "\"Mon, 16 Feb 2026 22:05:00 +0000\"",
                "\"2026-02-16T20:00:00\"", "\"2026-02-30T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"", "\"\"",
                "1771272000000", "null"})
        void createdAtMustBeAnRfc3339Timestamp(String value) {
            assertOnly(with("created_at", value), "created_at", "must be an ISO-8601 timestamp");
        }

        @Test
        void createdAtIsRequired() {
            assertOnly(without("created_at"), "created_at", "must be an ISO-8601 timestamp");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-02-16T20:00:00Z", "2026-02-16T20:00:00.123Z", "2026-02-16T21:00:00+01:00",
                "2026-02-16T20:00:00.123456789Z"})
        void createdAtAcceptsRfc3339Forms(String value) {
            assertThat(EnvelopeValidator.validate(with("created_at", "\"" + value + "\""))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"tomorrow\"", "\"2026-02-17\"", "\"\"", "0", "{}"})
        void expiresAtMustBeNullOrAnRfc3339Timestamp(String value) {
            assertOnly(with("expires_at", value), "expires_at", "must be null or an ISO-8601 timestamp");
        }

        @Test
        void expiresAtMayBeATimestamp() {
            assertThat(EnvelopeValidator.validate(with("expires_at", "\"2026-02-17T20:00:00Z\""))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"critical\"", "\"Normal\"", "\"\"", "1", "[]"})
        void priorityMustBeOneOfTheFourLevels(String value) {
            assertOnly(with("priority", value), "priority", "must be low|normal|high|urgent");
        }

        @ParameterizedTest
        @ValueSource(strings = {"low", "normal", "high", "urgent"})
        void everyPriorityLevelIsAccepted(String value) {
            assertThat(EnvelopeValidator.validate(with("priority", "\"" + value + "\""))).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // content (type "data" has no type rule, so only the common content rules show)

    @Nested
    class Content {

        @ParameterizedTest
        @ValueSource(strings = {"\"hello\"", "[]", "null", "0"})
        void contentMustBeAnObject(String value) {
            assertOnly(data(with("content", value)), "content", "content object is required");
        }

        @Test
        void contentIsRequired() {
            assertOnly(data(without("content")), "content", "content object is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"encrypted\":false}", "{\"human\":null,\"structured\":null}",
                "{\"human\":\"\",\"structured\":0}", "{\"human\":false}", "{\"encrypted\":0,\"ciphertext\":\"x\"}"})
        void cleartextContentNeedsHumanOrStructured(String value) {
            assertOnly(data(with("content", value)), "content",
                    "must include content.human or content.structured when not encrypted");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"human\":{}}", "{\"human\":{\"text\":5}}", "{\"human\":{\"text\":null}}",
                "{\"human\":\"hello\"}", "{\"human\":[\"hello\"]}", "{\"human\":true}"})
        void humanContentNeedsTextAsAString(String value) {
            assertOnly(data(with("content", value)), "content.human.text", "must be a string");
        }

        @Test
        void humanTextMayBeEmpty() {
            assertThat(EnvelopeValidator.validate(data(with("content", "{\"human\":{\"text\":\"\"}}")))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"structured\":{}}", "{\"structured\":{\"intent\":\"\"}}",
                "{\"structured\":{\"intent\":3}}", "{\"structured\":\"task.create@v1\"}", "{\"structured\":1}"})
        void structuredContentNeedsANonEmptyIntent(String value) {
            assertOnly(data(with("content", value)), "content.structured.intent", "must be a non-empty string");
        }

        @Test
        void humanAndStructuredProblemsAreBothReportedHumanFirst() {
            assertThat(EnvelopeValidator.validate(data(with("content", "{\"human\":{},\"structured\":{}}"))))
                    .containsExactly(
                            error("content.human.text", "must be a string"),
                            error("content.structured.intent", "must be a non-empty string"));
        }

        @Test
        void encryptedContentNeedsProfileEpochAndCiphertext() {
            assertThat(EnvelopeValidator.validate(data(with("content", "{\"encrypted\":true}")))).containsExactly(
                    error("content.profile", "required when content.encrypted=true"),
                    error("content.epoch", "must be a non-negative integer when encrypted"),
                    error("content.ciphertext", "required when encrypted"));
        }

        @Test
        void encryptedContentIsOpaqueSoHumanAndStructuredAreNotRead() {
            assertThat(EnvelopeValidator.validate(data(with("content", "{\"encrypted\":true,"
                    + "\"profile\":\"loom-e2ee-1\",\"epoch\":0,\"ciphertext\":\"abc\","
                    + "\"human\":{\"text\":5},\"structured\":{}}")))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"\"", "null", "0", "false"})
        void encryptedContentNeedsAProfile(String profile) {
            assertOnly(data(with("content", "{\"encrypted\":true,\"profile\":" + profile
                    + ",\"epoch\":0,\"ciphertext\":\"abc\"}")), "content.profile",
                    "required when content.encrypted=true");
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "\"0\"", "null", "[]"})
        void encryptedContentNeedsANonNegativeEpoch(String epoch) {
            assertOnly(data(with("content", "{\"encrypted\":true,\"profile\":\"loom-e2ee-1\",\"epoch\":" + epoch
                    + ",\"ciphertext\":\"abc\"}")), "content.epoch", "must be a non-negative integer when encrypted");
        }

        @Test
        void encryptedEpochIsReadAsANumberWithoutDemandingAnInteger() {
            assertThat(EnvelopeValidator.validate(data(with("content",
                    "{\"encrypted\":true,\"profile\":\"loom-e2ee-1\",\"epoch\":1.5,\"ciphertext\":\"abc\"}"))))
                    .isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"\"", "null", "42", "[\"abc\"]"})
        void encryptedContentNeedsANonEmptyCiphertext(String ciphertext) {
            assertOnly(data(with("content", "{\"encrypted\":true,\"profile\":\"loom-e2ee-1\",\"epoch\":0,"
                    + "\"ciphertext\":" + ciphertext + "}")), "content.ciphertext", "required when encrypted");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"yes\"", "\"false\"", "1", "{}", "[]"})
        void anySetEncryptedFlagSelectsTheEncryptedRules(String flag) {
            assertThat(EnvelopeValidator.validate(data(with("content",
                    "{\"encrypted\":" + flag + ",\"human\":{\"text\":\"hi\"}}")))).containsExactly(
                    error("content.profile", "required when content.encrypted=true"),
                    error("content.epoch", "must be a non-negative integer when encrypted"),
                    error("content.ciphertext", "required when encrypted"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // attachments

    @Nested
    class Attachments {

        private static final String VALID_ATTACHMENT = "{\"id\":\"att_01ARZ3NDEKTSV4RRFFQ69G5FAV\","
                + "\"blob_id\":\"blob_01ARZ3NDEKTSV4RRFFQ69G5FAV\",\"hash\":\"sha256:abc\",\"filename\":\"a.pdf\"}";

        @ParameterizedTest
        @ValueSource(strings = {"{}", "\"att_01ARZ3NDEKTSV4RRFFQ69G5FAV\"", "0", "false"})
        void attachmentsMustBeAnArray(String value) {
            assertOnly(with("attachments", value), "attachments", "must be an array");
        }

        @Test
        void eachAttachmentMustBeAnObject() {
            assertThat(EnvelopeValidator.validate(with("attachments", "[" + VALID_ATTACHMENT + ", 5, null, []]")))
                    .containsExactly(
                            error("attachments[1]", "must be an object"),
                            error("attachments[2]", "must be an object"),
                            error("attachments[3]", "must be an object"));
        }

        @Test
        void anEmptyAttachmentLacksIdBlobIdAndHash() {
            assertThat(EnvelopeValidator.validate(with("attachments", "[{}]"))).containsExactly(
                    error("attachments[0].id", "must be att_ + ULID"),
                    error("attachments[0].blob_id", "must be blob_ + ULID"),
                    error("attachments[0].hash", "must use sha256:<hex> format"));
        }

        @Test
        void attachmentIdsMustCarryTheirOwnPrefixes() {
            assertThat(EnvelopeValidator.validate(with("attachments", "[{"
                    + "\"id\":\"blob_01ARZ3NDEKTSV4RRFFQ69G5FAV\",\"blob_id\":\"att_01ARZ3NDEKTSV4RRFFQ69G5FAV\","
                    + "\"hash\":\"sha256:00\"}]"))).containsExactly(
                    error("attachments[0].id", "must be att_ + ULID"),
                    error("attachments[0].blob_id", "must be blob_ + ULID"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"md5:abc\"", "\"SHA256:abc\"", "\"abc\"", "null", "1"})
        void hashMustUseTheSha256Prefix(String hash) {
            ObjectNode attachment = (ObjectNode) parse(VALID_ATTACHMENT);
            attachment.set("hash", parse(hash));

            assertOnly(with("attachments", "[" + attachment + "]"), "attachments[0].hash",
                    "must use sha256:<hex> format");
        }

        @Test
        void wellFormedAttachmentsPass() {
            assertThat(EnvelopeValidator.validate(with("attachments", "[" + VALID_ATTACHMENT + "]"))).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // signature

    @Nested
    class SignatureField {

        @ParameterizedTest
        @ValueSource(strings = {"\"rBQp_Fg2TbXqHcDlfWxWvBitjqPM6m3N\"", "[]", "null", "1"})
        void signatureMustBeAnObject(String value) {
            assertOnly(with("signature", value), "signature", "signature object is required");
        }

        @Test
        void signatureIsRequired() {
            assertOnly(without("signature"), "signature", "signature object is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"ed25519\"", "\"RS256\"", "null"})
        void algorithmMustBeEd25519(String value) {
            assertOnly(with("signature.algorithm", value), "signature.algorithm", "must be Ed25519");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"k1\"", "\"\"", "100", "null"})
        void keyIdMustBeAStringOfAtLeastThreeCharacters(String value) {
            assertOnly(with("signature.key_id", value), "signature.key_id", "must be present");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"123456789\"", "\"\"", "1234567890", "null"})
        void valueMustBeAStringOfAtLeastTenCharacters(String value) {
            assertOnly(with("signature.value", value), "signature.value", "must be a base64url string");
        }

        @Test
        void aTenCharacterValuePassesShapeValidation() {
            assertThat(EnvelopeValidator.validate(with("signature.value", "\"1234567890\""))).isEmpty();
        }

        @Test
        void anEmptySignatureObjectReportsAllThreeParts() {
            assertThat(EnvelopeValidator.validate(with("signature", "{}"))).containsExactly(
                    error("signature.algorithm", "must be Ed25519"),
                    error("signature.key_id", "must be present"),
                    error("signature.value", "must be a base64url string"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Spec §9.2 type rules

    @Nested
    class TypeRules {

        @Test
        void messageEnvelopesNeedHumanContent() {
            assertOnly(with("content", "{\"structured\":{\"intent\":\"message.general@v1\"}}"),
                    "content.human", "required for message envelopes");
        }

        @Test
        void messageWithoutAnyContentPartGetsBothTheCommonAndTheTypeError() {
            assertThat(EnvelopeValidator.validate(with("content", "{}"))).containsExactly(
                    error("content", "must include content.human or content.structured when not encrypted"),
                    error("content.human", "required for message envelopes"));
        }

        @Test
        void messageEnvelopesMayLeaveStructuredOut() {
            assertThat(EnvelopeValidator.validate(with("content", "{\"human\":{\"text\":\"hi\"}}"))).isEmpty();
        }

        @Test
        void taskEnvelopesNeedStructuredContent() {
            ObjectNode envelope = with("type", "\"task\"");
            set(envelope, "content", "{\"human\":{\"text\":\"please\"}}");

            assertOnly(envelope, "content.structured", "required for task envelopes");
        }

        @ParameterizedTest
        @ValueSource(strings = {"message.general@v1", "task.create", "task.create@v", "task.create@1",
                "task.create@v1x", "task.@v1", "tasks.create@v1", "Task.create@v1"})
        void taskIntentsMustBeVersionedTaskIntents(String intent) {
            ObjectNode envelope = with("type", "\"task\"");
            set(envelope, "content.structured.intent", "\"" + intent + "\"");

            assertOnly(envelope, "content.structured.intent", "must be task.*@vN for task envelopes");
        }

        @ParameterizedTest
        @ValueSource(strings = {"task.create@v1", "task.state_update@v1", "task.create@v12"})
        void versionedTaskIntentsAreAccepted(String intent) {
            ObjectNode envelope = with("type", "\"task\"");
            set(envelope, "content.structured.intent", "\"" + intent + "\"");

            assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
        }

        @Test
        void aMissingTaskIntentIsReportedOnceByTheCommonRule() {
            ObjectNode envelope = with("type", "\"task\"");
            set(envelope, "content.structured", "{\"parameters\":{}}");

            assertOnly(envelope, "content.structured.intent", "must be a non-empty string");
        }

        @Test
        void receiptEnvelopesNeedStructuredContent() {
            ObjectNode envelope = with("type", "\"receipt\"");
            set(envelope, "content", "{\"human\":{\"text\":\"read\"}}");

            assertOnly(envelope, "content.structured", "required for receipt envelopes");
        }

        @Test
        void receiptEnvelopesMayLeaveHumanOut() {
            ObjectNode envelope = with("type", "\"receipt\"");
            set(envelope, "content", "{\"structured\":{\"intent\":\"receipt.read@v1\"}}");

            assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"message.general@v1", "thread.resolve", "thread.resolve@v1.1", "delegations.revoked@v1",
                "threads.resolve@v1"})
        void threadOpIntentsMustComeFromTheThreadOpFamilies(String intent) {
            assertOnly(threadOp("\"" + intent + "\""), "content.structured.intent",
                    "must be thread.*@vN, capability.*@vN, delegation.*@vN or encryption.*@vN for thread_op envelopes");
        }

        @ParameterizedTest
        @ValueSource(strings = {"thread.resolve@v1", "thread.add_participant@v1", "thread.fork@v2",
                "capability.revoked@v1", "delegation.revoked@v1", "encryption.epoch@v1", "encryption.rotate@v1"})
        void threadOpIntentsOfTheFourFamiliesAreAccepted(String intent) {
            assertThat(EnvelopeValidator.validate(threadOp("\"" + intent + "\""))).isEmpty();
        }

        @Test
        void threadOpWithoutStructuredContentIsLeftToTheThreadOperationStage() {
            ObjectNode envelope = with("type", "\"thread_op\"");
            set(envelope, "content", "{\"human\":{\"text\":\"resolve please\"}}");

            assertThat(EnvelopeValidator.validate(envelope)).isEmpty();
        }

        @Test
        void encryptedContentIsExemptFromTheTypeRules() {
            String encrypted = "{\"encrypted\":true,\"profile\":\"loom-e2ee-1\",\"epoch\":2,\"ciphertext\":\"abc\"}";
            for (String type : List.of("message", "task", "receipt", "thread_op")) {
                ObjectNode envelope = with("type", "\"" + type + "\"");
                set(envelope, "content", encrypted);

                assertThat(EnvelopeValidator.validate(envelope)).as(type).isEmpty();
            }
        }

        @Test
        void missingContentIsReportedOnceWhateverTheType() {
            for (String type : List.of("message", "task", "receipt", "thread_op")) {
                ObjectNode envelope = with("type", "\"" + type + "\"");
                envelope.remove("content");

                assertThat(EnvelopeValidator.validate(envelope)).as(type)
                        .containsExactly(error("content", "content object is required"));
            }
        }

        @Test
        void otherTypesPutNoRequirementOnContentParts() {
            for (String type : List.of("approval", "event", "notification", "handoff", "data", "workflow", "x.y")) {
                ObjectNode envelope = with("type", "\"" + type + "\"");
                set(envelope, "content", "{\"structured\":{\"intent\":\"anything.at_all\"}}");

                assertThat(EnvelopeValidator.validate(envelope)).as(type).isEmpty();
            }
        }

        private ObjectNode threadOp(String intentJson) {
            ObjectNode envelope = with("type", "\"thread_op\"");
            set(envelope, "content", "{\"structured\":{\"intent\":" + intentJson + ",\"parameters\":{}}}");
            return envelope;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    static ObjectNode digestEnvelope() {
        return (ObjectNode) resource("envelopes/reference-digest-envelope.json");
    }

    static JsonNode resource(String name) {
        try (InputStream in = EnvelopeValidatorTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + name);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        return MAPPER.readTree(json);
    }

    private static ValidationError error(String field, String reason) {
        return new ValidationError(field, reason);
    }

    private static void assertOnly(JsonNode envelope, String field, String reason) {
        assertThat(EnvelopeValidator.validate(envelope)).containsExactly(error(field, reason));
    }

    /** The digest envelope with the value at a dotted path replaced by the given JSON. */
    private static ObjectNode with(String path, String json) {
        ObjectNode envelope = digestEnvelope();
        set(envelope, path, json);
        return envelope;
    }

    /** The digest envelope without the member at a dotted path. */
    private static ObjectNode without(String path) {
        ObjectNode envelope = digestEnvelope();
        List<String> steps = new ArrayList<>(List.of(path.split("\\.")));
        String last = steps.remove(steps.size() - 1);
        ObjectNode parent = envelope;
        for (String step : steps) {
            parent = (ObjectNode) parent.get(step);
        }
        parent.remove(last);
        return envelope;
    }

    private static void set(ObjectNode envelope, String path, String json) {
        List<String> steps = new ArrayList<>(List.of(path.split("\\.")));
        String last = steps.remove(steps.size() - 1);
        ObjectNode parent = envelope;
        for (String step : steps) {
            parent = (ObjectNode) parent.get(step);
        }
        parent.set(last, parse(json));
    }

    /** Switches the envelope to a type without content requirements, to isolate the common content rules. */
    private static ObjectNode data(ObjectNode envelope) {
        envelope.put("type", "data");
        return envelope;
    }
}
