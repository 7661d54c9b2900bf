package org.loom.protocol.capability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrantTest {

    @Test
    void wireNamesAreTheSpecNames() {
        assertThat(List.of(Grant.values())).extracting(Grant::wireName).containsExactly(
                "read", "reply", "forward", "delegate", "fork", "merge", "add_participant", "remove_participant",
                "escalate", "resolve", "archive", "lock", "label", "admin");
    }

    @Test
    void parsesKnownWireNamesOnly() {
        assertThat(Grant.fromWire("add_participant")).contains(Grant.ADD_PARTICIPANT);
        assertThat(Grant.fromWire("ADMIN")).isEmpty();
        assertThat(Grant.fromWire("teleport")).isEmpty();
    }

    @Test
    void adminSatisfiesEveryGrant() {
        for (Grant grant : Grant.values()) {
            assertThat(grant.isGrantedBy(List.of("admin"))).isTrue();
        }
        assertThat(Grant.isGranted(List.of("admin"), "something.custom")).isTrue();
    }

    @Test
    void otherGrantsSatisfyOnlyThemselves() {
        assertThat(Grant.RESOLVE.isGrantedBy(List.of("resolve", "lock"))).isTrue();
        assertThat(Grant.ARCHIVE.isGrantedBy(List.of("resolve", "lock"))).isFalse();
        assertThat(Grant.isGranted(List.of("custom"), "custom")).isTrue();
        assertThat(Grant.isGranted(List.of(), "read")).isFalse();
    }
}
