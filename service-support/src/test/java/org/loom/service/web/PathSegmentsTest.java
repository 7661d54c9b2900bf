package org.loom.service.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.springframework.mock.web.MockHttpServletRequest;

class PathSegmentsTest {

    @Test
    void decodesEncodedLoomAddress() {
        assertThat(PathSegments.decode("loom%3A%2F%2Falice%40node.example")).isEqualTo("loom://alice@node.example");
    }

    @Test
    void decodesMultiByteUtf8AndKeepsPlusSigns() {
        assertThat(PathSegments.decode("caf%C3%A9+%F0%9F%99%82")).isEqualTo("café+🙂");
    }

    @Test
    void leavesTextWithoutEscapesAlone() {
        assertThat(PathSegments.decode("thr_01J;x=1")).isEqualTo("thr_01J;x=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%2", "a%zz", "%C3%28", "%FF", "%E2%82"})
    void rejectsMalformedEscapesAsInvalidPath(String raw) {
        assertThatThrownBy(() -> PathSegments.decode(raw))
                .isInstanceOfSatisfying(LoomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID);
                    assertThat(e.getMessage()).isEqualTo("Malformed percent-encoding in path");
                    assertThat(e.details()).containsEntry("field", "path");
                });
    }

    @Test
    void readsSegmentsFromTheRawRequestUri() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/identity/loom%3A%2F%2Fa%40x");

        assertThat(PathSegments.rawSegments(request)).containsExactly("v1", "identity", "loom%3A%2F%2Fa%40x");
        assertThat(PathSegments.decodedSegment(request, 2)).isEqualTo("loom://a@x");
    }

    @Test
    void rejectsMissingSegment() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/identity");

        assertThatThrownBy(() -> PathSegments.decodedSegment(request, 2)).isInstanceOf(LoomException.class);
    }
}
