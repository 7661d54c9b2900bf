package org.loom.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.loom.gateway.guard.ClientAddresses;
import org.loom.service.web.LoomWebAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Request counting and logging, placed between the request id filter and the guards. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RequestLogSettings.class)
class MetricsConfiguration {

    static final int OBSERVATION_FILTER_ORDER = LoomWebAutoConfiguration.GUARD_FILTER_ORDER - 1;

    @Bean
    RequestMetrics requestMetrics(MeterRegistry registry) {
        return new RequestMetrics(registry, Clock.systemUTC());
    }

    @Bean
    FilterRegistrationBean<RequestObservationFilter> requestObservationFilter(RequestMetrics metrics,
            RequestLogSettings settings, ClientAddresses clients) {
        FilterRegistrationBean<RequestObservationFilter> registration = new FilterRegistrationBean<>(
                new RequestObservationFilter(metrics, settings, clients, Clock.systemUTC()));
        registration.setOrder(OBSERVATION_FILTER_ORDER);
        return registration;
    }
}
