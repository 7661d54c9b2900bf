package org.loom.service.messaging;

import org.loom.service.audit.AuditTrail;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/**
 * Adds this package to the application's entity and repository scanning and registers its components, so a service
 * that depends on this module gets the outbox and processed-message tables without naming the package itself.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@AutoConfigurationPackage
@ConditionalOnClass(name = "jakarta.persistence.EntityManagerFactory")
@Import({ProcessedMessages.class, OutboxEvents.class, AuditTrail.class})
public class MessagingAutoConfiguration {
}
