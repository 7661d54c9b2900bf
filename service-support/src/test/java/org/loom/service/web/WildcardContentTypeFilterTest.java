package org.loom.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class WildcardContentTypeFilterTest {

    private static HttpServletRequest passedOn(String contentType) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/identity");
        request.setContentType(contentType);
        MockFilterChain chain = new MockFilterChain();
        new WildcardContentTypeFilter().doFilter(request, new MockHttpServletResponse(), chain);
        return (HttpServletRequest) chain.getRequest();
    }

    @Test
    void aWildcardLabelIsDroppedSoSpringCanDescribeTheRequest() throws Exception {
        for (String label : new String[] {"*/*", "application/*", "*/*; charset=utf-8"}) {
            HttpServletRequest request = passedOn(label);

            assertThat(request.getContentType()).isNull();
            assertThat(Collections.list(request.getHeaderNames())).noneMatch("Content-Type"::equalsIgnoreCase);
            // What failed before: Spring refuses to hold a wildcard type in a request's headers.
            assertThat(new ServletServerHttpRequest(request).getHeaders().getContentType()).isNull();
        }
    }

    @Test
    void aConcreteLabelIsKept() throws Exception {
        assertThat(passedOn("application/json").getContentType()).isEqualTo("application/json");
        assertThat(passedOn("text/plain").getContentType()).isEqualTo("text/plain");
    }
}
