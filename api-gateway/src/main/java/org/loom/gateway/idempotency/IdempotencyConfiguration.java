package org.loom.gateway.idempotency;

import org.loom.gateway.auth.Authenticator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Installs idempotency keys for {@link Idempotent} handlers: the body-buffering filter, the claim interceptor, the sweep. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(IdempotencySettings.class)
class IdempotencyConfiguration implements WebMvcConfigurer {

    private final Authenticator authenticator;
    private final IdempotencyStore store;
    private final IdempotencySettings settings;

    IdempotencyConfiguration(Authenticator authenticator, IdempotencyStore store, IdempotencySettings settings) {
        this.authenticator = authenticator;
        this.store = store;
        this.settings = settings;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new IdempotencyInterceptor(authenticator, store, settings));
    }

    /**
     * Runs after the node's request guards (request id, body limit, rate limit), so a body is buffered only once it
     * is known to be within the limit.
     */
    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter() {
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(new IdempotencyFilter(store));
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }

    @Bean
    IdempotencySweeper idempotencySweeper() {
        return new IdempotencySweeper(store);
    }
}
