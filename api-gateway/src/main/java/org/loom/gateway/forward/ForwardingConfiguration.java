package org.loom.gateway.forward;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the internal services' addresses and timeouts. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ForwardingSettings.class)
class ForwardingConfiguration {
}
