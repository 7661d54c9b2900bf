package org.loom.protocol.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LoomIdsTest {

    @Test
    void prefixesHaveTheirWireText() {
        assertThat(IdPrefix.values()).extracting(IdPrefix::text).containsExactly(
                "env_", "thr_", "att_", "blob_", "cap_", "evt_", "dlg_", "chl_", "nonce_", "wh_", "wout_", "eout_",
                "fout_", "fdel_", "fch_");
    }

    @ParameterizedTest
    @EnumSource(IdPrefix.class)
    void newIdsCarryTheirPrefixAndAreValid(IdPrefix prefix) {
        String id = LoomIds.next(prefix);

        assertThat(id).startsWith(prefix.text()).hasSize(prefix.text().length() + 26);
        assertThat(LoomIds.isValid(prefix, id)).isTrue();
        assertThat(Ulid.isValid(id.substring(prefix.text().length()))).isTrue();
    }

    @Test
    void successiveIdsSortInCreationOrder() {
        String first = LoomIds.next(IdPrefix.ENVELOPE);
        String second = LoomIds.next(IdPrefix.ENVELOPE);

        assertThat(second).isGreaterThan(first);
    }

    @ParameterizedTest
    @CsvSource({
            "ENVELOPE, env_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "THREAD, thr_01ARZ3NDEKTSV4RRFFQ69G5FAW",
            "ATTACHMENT, att_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "BLOB, blob_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            // The 128-bit bound on the first character is not demanded of ids received from others.
            "ENVELOPE, env_81ARZ3NDEKTSV4RRFFQ69G5FAV",
            "ENVELOPE, env_ZZZZZZZZZZZZZZZZZZZZZZZZZZ"})
    void acceptsPrefixedUlids(IdPrefix prefix, String id) {
        assertThat(LoomIds.isValid(prefix, id)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "env_",
            "01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "thr_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "ENV_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "env_01arz3ndektsv4rrffq69g5fav",
            "env_01ARZ3NDEKTSV4RRFFQ69G5FA",
            "env_01ARZ3NDEKTSV4RRFFQ69G5FAVV",
            "env_01ARZ3NDEKTSV4RRFFQ69G5FAI",
            "env_01ARZ3NDEKTSV4RRFFQ69G5FAL",
            "env_01ARZ3NDEKTSV4RRFFQ69G5FAO",
            "env_01ARZ3NDEKTSV4RRFFQ69G5FAU",
            "env_01ARZ3NDEKTSV4RRFFQ69G5FA ",
            " env_01ARZ3NDEKTSV4RRFFQ69G5FAV"})
    void refusesAnythingButTheEnvelopePrefixAndTwentySixUpperCaseCharacters(String id) {
        assertThat(LoomIds.isValid(IdPrefix.ENVELOPE, id)).isFalse();
    }

    @Test
    void accessAndRefreshTokensAreThirtyTwoLowerCaseHexCharacters() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String access = LoomIds.newAccessToken();
            String refresh = LoomIds.newRefreshToken();
            assertThat(access).matches("at_[0-9a-f]{32}");
            assertThat(refresh).matches("rt_[0-9a-f]{32}");
            tokens.add(access.substring(3));
            tokens.add(refresh.substring(3));
        }
        assertThat(tokens).hasSize(400);
    }

    @Test
    void requestIdsAreRandomUuidsWithDashes() {
        String requestId = LoomIds.newRequestId();

        assertThat(requestId).matches("req_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        UUID uuid = UUID.fromString(requestId.substring(4));
        assertThat(uuid.version()).isEqualTo(4);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(LoomIds.newRequestId()).isNotEqualTo(requestId);
    }
}
