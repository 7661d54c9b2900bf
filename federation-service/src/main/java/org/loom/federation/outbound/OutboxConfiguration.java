package org.loom.federation.outbound;

import org.loom.protocol.kafka.DeadLetter;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.Outboxes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The federation outbox on the shared outbox component. Its policy binds {@code loom.federation.outbox.*}; the
 * settings file maps the reference's {@code LOOM_OUTBOX_AUTO_PROCESS_*} variables onto it (the relay of
 * {@code loom.outbox.*} is another thing).
 */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

    @Bean
    Outbox federationDeliveryOutbox(Outboxes outboxes, FederationDeliverer deliverer) {
        return outboxes.create(DeadLetter.KIND_FEDERATION, "loom.federation.outbox", deliverer);
    }
}
