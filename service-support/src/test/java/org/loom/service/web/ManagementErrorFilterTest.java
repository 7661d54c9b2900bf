package org.loom.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HttpServletBean;

class ManagementErrorFilterTest {

    private final ManagementErrorFilter filter = new ManagementErrorFilter("/actuator");

    /** An endpoint that answers with a bare status and no body, as an actuator endpoint refusing does. */
    private static MockFilterChain answering(int status) {
        return new MockFilterChain(new HttpServletBean() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(status);
            }
        });
    }

    @Test
    void aBareRefusalUnderTheManagementPathBecomesAContainerError() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(new MockHttpServletRequest("GET", "/actuator/health/nope"), response, answering(404));

        assertThat(response.getStatus()).isEqualTo(404);
        // sendError, unlike setStatus, hands the answer to the error page.
        assertThat(response.isCommitted()).isTrue();
        assertThat(response.getErrorMessage()).isNull();
        assertThat(response.getContentAsByteArray()).isEmpty();
    }

    @Test
    void successesUnderTheManagementPathAreLeftAlone() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(new MockHttpServletRequest("GET", "/actuator/health"), response, answering(200));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.isCommitted()).isFalse();
    }

    @Test
    void otherPathsAreNotTouched() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(new MockHttpServletRequest("GET", "/actuatorish"), response, answering(404));

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.isCommitted()).isFalse();
    }

    /** The health endpoint threw (a 500) on a group selector holding a slash; an escaped one never reaches it. */
    @Test
    void anEscapedSlashUnderOrRightAfterTheManagementPathIsARouteNotFound() throws Exception {
        for (String path : new String[] {"/actuator/health/db%2Fx", "/actuator/health/..%2F..%2F",
            "/actuator%2Fhealth", "/actuator%2fhealth", "/actuator/health%5Cdb"}) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockHttpServletRequest request = new MockHttpServletRequest("GET", path);

            filter.doFilter(request, response, answering(200));

            assertThat(response.getStatus()).as(path).isEqualTo(404);
            assertThat(response.getContentAsString()).as(path).contains("\"code\":\"ENVELOPE_NOT_FOUND\"")
                    .contains("\"request_id\":\"" + RequestIds.of(request) + "\"");
        }
    }
}
