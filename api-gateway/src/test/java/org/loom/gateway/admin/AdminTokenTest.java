package org.loom.gateway.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.springframework.mock.web.MockHttpServletRequest;

class AdminTokenTest {

    @Test
    void withoutAConfiguredTokenAdminRoutesLookAbsent() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/outbox/dlq");
        request.addHeader(AdminToken.HEADER, "anything");

        assertThatThrownBy(() -> new AdminToken(new AdminSettings(" ", false)).require(request))
                .isInstanceOfSatisfying(LoomException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_NOT_FOUND));
    }

    @Test
    void onlyTheExactTokenPasses() {
        AdminToken token = new AdminToken(new AdminSettings("s3cret", false));
        MockHttpServletRequest right = new MockHttpServletRequest("GET", "/v1/webhooks");
        right.addHeader(AdminToken.HEADER, "s3cret");
        MockHttpServletRequest wrong = new MockHttpServletRequest("GET", "/v1/webhooks");
        wrong.addHeader(AdminToken.HEADER, "s3cre");

        assertThatCode(() -> token.require(right)).doesNotThrowAnyException();
        assertThatThrownBy(() -> token.require(wrong)).isInstanceOfSatisfying(LoomException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.CAPABILITY_DENIED));
        assertThatThrownBy(() -> token.require(new MockHttpServletRequest("GET", "/v1/webhooks")))
                .isInstanceOf(LoomException.class);
    }
}
