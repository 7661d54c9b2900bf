package org.loom.gateway.envelope;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the settings of envelope submission. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EnvelopeSettings.class)
class EnvelopeConfiguration {
}
