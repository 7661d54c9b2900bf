package org.loom.protocol.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class DelegationLinkTest {

    @Test
    void readsEveryField() {
        ObjectNode json = valid();
        json.put("expires_at", "2026-03-01T00:00:00Z");
        json.put("allow_sub_delegation", true);
        json.put("max_sub_delegation_depth", 2);
        json.put("revocable", false);

        DelegationLink link = DelegationLink.fromJson(json);

        assertThat(link.id()).isEqualTo("dlg_01ARZ3NDEKTSV4RRFFQ69G5FD9");
        assertThat(link.delegator()).isEqualTo("loom://owner@node.test");
        assertThat(link.delegate()).isEqualTo("loom://assistant.owner@node.test");
        assertThat(link.scope()).containsExactly("message.general@v1", "task.*");
        assertThat(link.createdAt()).isEqualTo("2026-02-16T20:30:00Z");
        assertThat(link.expiresAt()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(link.revocable()).isFalse();
        assertThat(link.allowSubDelegation()).isTrue();
        assertThat(link.maxSubDelegationDepth()).isEqualTo(2);
        assertThat(link.keyId()).isEqualTo("k_sign_owner_1");
        assertThat(link.signature()).isEqualTo("c2ln");
        assertThat(link.source()).isEqualTo(json);
    }

    @Test
    void absentFlagsTakeTheStoredFormDefaults() {
        ObjectNode json = valid();
        json.remove("revocable");
        json.remove("allow_sub_delegation");
        json.remove("max_sub_delegation_depth");
        json.remove("key_id");

        DelegationLink link = DelegationLink.fromJson(json);

        assertThat(link.revocable()).isTrue();
        assertThat(link.allowSubDelegation()).isFalse();
        assertThat(link.maxSubDelegationDepth()).isZero();
        assertThat(link.keyId()).isNull();
        assertThat(link.toJson().propertyNames()).containsExactly("id", "delegator", "delegate", "scope",
                "created_at", "expires_at", "revocable", "allow_sub_delegation", "max_sub_delegation_depth", "key_id",
                "signature");
        assertThat(link.toJson().get("revocable").booleanValue()).isTrue();
        assertThat(link.toJson().get("key_id").isNull()).isTrue();
    }

    @Test
    void acceptsTheOlderKeyIdSpelling() {
        ObjectNode json = valid();
        json.remove("key_id");
        json.put("signature_key_id", "k_sign_owner_2");

        assertThat(DelegationLink.fromJson(json).keyId()).isEqualTo("k_sign_owner_2");
    }

    @Test
    void scopeIsTrimmedAndBlankEntriesDropped() {
        ObjectNode json = valid();
        json.putArray("scope").add("  task.create ").add("").add("   ");

        assertThat(DelegationLink.fromJson(json).scope()).containsExactly("task.create");
    }

    @Test
    void expiryIsExclusive() {
        ObjectNode json = valid();
        json.put("expires_at", "2026-03-01T00:00:00Z");
        DelegationLink link = DelegationLink.fromJson(json);

        assertThat(link.isExpiredAt(Instant.parse("2026-02-28T23:59:59.999Z"))).isFalse();
        assertThat(link.isExpiredAt(Instant.parse("2026-03-01T00:00:00Z"))).isTrue();
        assertThat(DelegationLink.fromJson(valid()).isExpiredAt(Instant.MAX)).isFalse();
    }

    @Test
    void sourceIsACopy() {
        DelegationLink link = DelegationLink.fromJson(valid());
        link.source().put("id", "changed");

        assertThat(link.source().get("id").stringValue()).isEqualTo("dlg_01ARZ3NDEKTSV4RRFFQ69G5FD9");
    }

    @Test
    void rejectsNonObjects() {
        assertRejected(LoomJson.parse("[1]"), "Delegation link must be an object", Map.of());
        assertRejected(null, "Delegation link must be an object", Map.of());
    }

    @Test
    void rejectsInvalidDelegator() {
        ObjectNode json = valid();
        json.put("delegator", "owner@node.test");
        assertRejected(json, "Delegation link has invalid delegator identity", Map.of("field", "delegator"));
    }

    @Test
    void rejectsInvalidDelegate() {
        ObjectNode json = valid();
        json.remove("delegate");
        assertRejected(json, "Delegation link has invalid delegate identity", Map.of("field", "delegate"));
    }

    @Test
    void rejectsMissingOrEmptySignature() {
        ObjectNode json = valid();
        json.put("signature", "");
        assertRejected(json, "Delegation link signature is required", Map.of("field", "signature"));
        json.putObject("signature").put("value", "c2ln");
        assertRejected(json, "Delegation link signature is required", Map.of("field", "signature"));
    }

    @Test
    void rejectsEmptyOrNonArrayScope() {
        ObjectNode json = valid();
        json.putArray("scope");
        assertRejected(json, "scope must be a non-empty array", Map.of("field", "scope"));
        json.put("scope", "task.create");
        assertRejected(json, "scope must be a non-empty array", Map.of("field", "scope"));
    }

    @Test
    void rejectsScopeWithOnlyBlankEntries() {
        ObjectNode json = valid();
        json.putArray("scope").add(" ").add("");
        assertRejected(json, "scope must contain at least one scope", Map.of("field", "scope"));
    }

    @Test
    void rejectsNonStringScopeEntries() {
        ObjectNode json = valid();
        json.putArray("scope").add("task.create").add(7);
        assertRejected(json, "scope entries must be strings", Map.of("field", "scope"));
    }

    @Test
    void rejectsExpiryThatIsNotStrictRfc3339() {
        ObjectNode json = valid();
        for (String lenient : new String[] {"2026-03-01", "Mar 1 2026", "2026-02-30T00:00:00Z", "1"}) {
            json.put("expires_at", lenient);
            assertRejected(json, "Delegation expires_at must be ISO-8601", Map.of("field", "expires_at"));
        }
        json.put("expires_at", 1767225600);
        assertRejected(json, "Delegation expires_at must be ISO-8601", Map.of("field", "expires_at"));
    }

    @Test
    void requiresAnIdSoTheLinkCanBeRevoked() {
        ObjectNode json = valid();
        json.remove("id");
        assertRejected(json, "Delegation link id is required", Map.of("field", "id"));
    }

    @Test
    void requiresAStrictCreationTime() {
        ObjectNode json = valid();
        json.put("created_at", "yesterday");
        assertRejected(json, "Delegation created_at must be ISO-8601", Map.of("field", "created_at"));
    }

    @Test
    void rejectsFlagsThatAreNotBooleans() {
        ObjectNode json = valid();
        json.put("allow_sub_delegation", "yes");
        assertRejected(json, "Delegation allow_sub_delegation must be a boolean",
                Map.of("field", "allow_sub_delegation"));
        json = valid();
        json.put("revocable", 1);
        assertRejected(json, "Delegation revocable must be a boolean", Map.of("field", "revocable"));
    }

    @Test
    void rejectsNegativeOrFractionalDepth() {
        ObjectNode json = valid();
        json.put("max_sub_delegation_depth", -1);
        assertRejected(json, "Delegation max_sub_delegation_depth must be a non-negative integer",
                Map.of("field", "max_sub_delegation_depth"));
        json.put("max_sub_delegation_depth", 1.5);
        assertRejected(json, "Delegation max_sub_delegation_depth must be a non-negative integer",
                Map.of("field", "max_sub_delegation_depth"));
    }

    private static void assertRejected(JsonNode json, String message, Map<String, Object> details) {
        assertThatThrownBy(() -> DelegationLink.fromJson(json))
                .isInstanceOfSatisfying(LoomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DELEGATION_INVALID);
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.details()).isEqualTo(details);
                });
    }

    private static ObjectNode valid() {
        return (ObjectNode) LoomJson.parse("{\"id\":\"dlg_01ARZ3NDEKTSV4RRFFQ69G5FD9\","
                + "\"delegator\":\"loom://owner@node.test\",\"delegate\":\"loom://assistant.owner@node.test\","
                + "\"scope\":[\"message.general@v1\",\"task.*\"],\"created_at\":\"2026-02-16T20:30:00Z\","
                + "\"expires_at\":null,\"revocable\":true,\"allow_sub_delegation\":false,"
                + "\"max_sub_delegation_depth\":0,\"key_id\":\"k_sign_owner_1\",\"signature\":\"c2ln\"}");
    }
}
