package org.loom.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void sameFamilyFromTwoServicesIsDeclaredOnceWithEverySampleLabelled() {
        String gateway = """
                # HELP jvm_threads_live_threads Live threads
                # TYPE jvm_threads_live_threads gauge
                jvm_threads_live_threads 12.0
                # HELP loom_requests_total Requests
                # TYPE loom_requests_total counter
                loom_requests_total 3.0
                """;
        String envelope = """
                # HELP jvm_threads_live_threads Live threads
                # TYPE jvm_threads_live_threads gauge
                jvm_threads_live_threads 30.0
                """;

        String merged = PrometheusText.merge(List.of(new PrometheusText.Source("api-gateway", gateway),
                new PrometheusText.Source("envelope-service", envelope)));

        assertThat(merged).isEqualTo("""
                # HELP jvm_threads_live_threads Live threads
                # TYPE jvm_threads_live_threads gauge
                jvm_threads_live_threads{service="api-gateway"} 12.0
                jvm_threads_live_threads{service="envelope-service"} 30.0
                # HELP loom_requests_total Requests
                # TYPE loom_requests_total counter
                loom_requests_total{service="api-gateway"} 3.0
                """);
    }

    @Test
    void existingLabelsAndSummarySuffixesStayWithTheirFamily() {
        String text = """
                # HELP loom_request_duration_ms Request time
                # TYPE loom_request_duration_ms summary
                loom_request_duration_ms_count 4.0
                loom_request_duration_ms_sum 20.0
                # TYPE loom_errors_total counter
                loom_errors_total{code="ENVELOPE_DUPLICATE"} 1.0
                loom_errors_total{} 0.0
                """;

        String merged = PrometheusText.merge(List.of(new PrometheusText.Source("api-gateway", text)));

        assertThat(merged).isEqualTo("""
                # HELP loom_request_duration_ms Request time
                # TYPE loom_request_duration_ms summary
                loom_request_duration_ms_count{service="api-gateway"} 4.0
                loom_request_duration_ms_sum{service="api-gateway"} 20.0
                # TYPE loom_errors_total counter
                loom_errors_total{service="api-gateway",code="ENVELOPE_DUPLICATE"} 1.0
                loom_errors_total{service="api-gateway"} 0.0
                """);
    }
}
