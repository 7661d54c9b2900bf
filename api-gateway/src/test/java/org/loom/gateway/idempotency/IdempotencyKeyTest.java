package org.loom.gateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.springframework.mock.web.MockHttpServletRequest;

class IdempotencyKeyTest {

    // sha256 of "POST\n/v1/envelopes\n{}", computed independently with sha256sum.
    private static final String EXPECTED_HASH = "f2a9d24b7f91e8c8ada0394d70391dd772aca10ada4791b873791f4765d8f53d";

    @Test
    void firstNonBlankHeaderWinsTrimmed() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Idempotency-Key", "   ");
        request.addHeader("X-Idempotency-Key", "  second  ");
        request.addHeader("X-LOOM-Idempotency-Key", "third");

        assertThat(IdempotencyKey.of(request)).contains(new IdempotencyKey("second"));
    }

    @Test
    void loomHeaderIsTheLastResort() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("X-LOOM-Idempotency-Key", "third");

        assertThat(IdempotencyKey.of(request)).contains(new IdempotencyKey("third"));
    }

    @Test
    void noHeaderMeansNoKey() {
        assertThat(IdempotencyKey.of(new MockHttpServletRequest())).isEmpty();
    }

    @Test
    void keyOfExactly200CharactersIsAccepted() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Idempotency-Key", "k".repeat(200));

        assertThat(IdempotencyKey.of(request)).map(IdempotencyKey::value).contains("k".repeat(200));
    }

    @Test
    void keyOf201CharactersIsTooLong() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Idempotency-Key", "k".repeat(201));

        assertThatThrownBy(() -> IdempotencyKey.of(request)).isInstanceOfSatisfying(LoomException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID);
            assertThat(e.getMessage()).isEqualTo("Idempotency key too long");
            assertThat(e.details()).containsExactly(Map.entry("field", "idempotency_key"), Map.entry("max_length", 200));
        });
    }

    @Test
    void requestHashCoversMethodPathAndTheExactBodyBytes() {
        String hash = RequestHash.of("POST", "/v1/envelopes", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(hash).isEqualTo(EXPECTED_HASH);
        assertThat(RequestHash.of("POST", "/v1/envelopes", "{ }".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(hash);
    }
}
