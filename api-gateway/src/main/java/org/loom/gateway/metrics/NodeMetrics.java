package org.loom.gateway.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.loom.gateway.forward.InternalProbes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The node's metrics in one Prometheus exposition: the gateway's own registry and every internal service's
 * {@code /actuator/prometheus}, scraped over internal HTTP at the moment of the request, each sample labelled with the
 * service it came from. A service that does not answer is reported as {@code loom_service_up{service="..."} 0}
 * instead of failing the whole scrape.
 *
 * <p>Scraping through the gateway means one target to configure and one place that checks the admin token; a
 * Prometheus that can reach the services directly may scrape each {@code /actuator/prometheus} itself instead.
 */
@Component
public class NodeMetrics {

    /** What the gateway answers {@code /metrics} with. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final InternalProbes probes;
    private final String gatewayName;

    public NodeMetrics(PrometheusMeterRegistry registry, InternalProbes probes,
            @Value("${spring.application.name}") String gatewayName) {
        this.registry = registry;
        this.probes = probes;
        this.gatewayName = gatewayName;
    }

    /** The merged exposition. */
    public String scrape() {
        List<PrometheusText.Source> sources = new ArrayList<>();
        StringBuilder up = new StringBuilder("# HELP loom_service_up Whether the service answered this scrape\n"
                + "# TYPE loom_service_up gauge\n");
        up.append("loom_service_up{service=\"").append(gatewayName).append("\"} 1\n");
        sources.add(new PrometheusText.Source(gatewayName, registry.scrape()));
        probes.getAll("/actuator/prometheus", "text/plain;version=0.0.4").forEach((service, answer) -> {
            answer.ifPresent(text -> sources.add(new PrometheusText.Source(service.serviceName(), text)));
            up.append("loom_service_up{service=\"").append(service.serviceName()).append("\"} ")
                    .append(answer.isPresent() ? 1 : 0).append('\n');
        });
        return up + PrometheusText.merge(sources);
    }
}
