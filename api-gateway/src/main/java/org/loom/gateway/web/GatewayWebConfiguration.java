package org.loom.gateway.web;

import java.util.List;
import javax.sql.DataSource;
import org.loom.gateway.admin.AdminToken;
import org.loom.gateway.guard.BodyLimitFilter;
import org.loom.gateway.guard.InternalRoutesFilter;
import org.loom.gateway.guard.ClientAddresses;
import org.loom.gateway.guard.FixedWindowRateLimiter;
import org.loom.gateway.guard.RateLimitFilter;
import org.loom.gateway.guard.TrustedProxies;
import org.loom.service.web.LoomWebAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The gateway's request guards and readiness. Filters run in this order: request id (shared), rate limit, body
 * limit, the refusal of internal routes, then Spring MVC; so a refused request still has its id, and a client over its
 * rate limit costs no body read.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayWebProperties.class)
class GatewayWebConfiguration {

    static final int RATE_LIMIT_FILTER_ORDER = LoomWebAutoConfiguration.GUARD_FILTER_ORDER;
    static final int BODY_LIMIT_FILTER_ORDER = LoomWebAutoConfiguration.GUARD_FILTER_ORDER + 1;
    static final int INTERNAL_ROUTES_FILTER_ORDER = LoomWebAutoConfiguration.GUARD_FILTER_ORDER + 2;

    @Bean
    FixedWindowRateLimiter rateLimiter(GatewayWebProperties properties) {
        return new FixedWindowRateLimiter(properties.rateLimitWindowMs(), properties.rateLimitDefaultMax(),
                properties.rateLimitSensitiveMax(), properties.rateLimitMaxTrackedClients(),
                System::currentTimeMillis);
    }

    @Bean
    ClientAddresses clientAddresses(GatewayWebProperties properties) {
        return new ClientAddresses(TrustedProxies.parse(properties.trustedProxies()));
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(FixedWindowRateLimiter limiter, ClientAddresses clients) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(limiter, clients));
        registration.setOrder(RATE_LIMIT_FILTER_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<InternalRoutesFilter> internalRoutesFilter() {
        FilterRegistrationBean<InternalRoutesFilter> registration =
                new FilterRegistrationBean<>(new InternalRoutesFilter());
        registration.setOrder(INTERNAL_ROUTES_FILTER_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(GatewayWebProperties properties, AdminToken admin) {
        // A restore carries a whole node's backup; only the operator may send one, and it is not an API request.
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(new BodyLimitFilter(
                properties.maxBodyBytes(), request -> "POST".equals(request.getMethod())
                        && AdminToken.RESTORE_PATH.equals(request.getRequestURI()) && admin.isAdmin(request)));
        registration.setOrder(BODY_LIMIT_FILTER_ORDER);
        return registration;
    }

    @Bean
    DatabaseReadinessCheck databaseReadinessCheck(DataSource dataSource, GatewayWebProperties properties) {
        return new DatabaseReadinessCheck(dataSource, properties.readyCheckTimeoutMs());
    }

    @Bean
    KafkaReadinessCheck kafkaReadinessCheck(KafkaAdmin kafkaAdmin, GatewayWebProperties properties) {
        return new KafkaReadinessCheck(kafkaAdmin.getConfigurationProperties(), properties.readyCheckTimeoutMs());
    }

    @Bean
    ReadinessProbe readinessProbe(ObjectProvider<ReadinessCheck> checks, GatewayWebProperties properties) {
        List<ReadinessCheck> ordered = checks.orderedStream().toList();
        return new ReadinessProbe(ordered, properties.readyCheckTimeoutMs(), properties.readyCacheMs(),
                System::nanoTime);
    }
}
