package org.loom.service.persistence;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/** Backup and restore of the service's own state, in every web service that has a database. */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@ConditionalOnWebApplication
@ConditionalOnBean({DataSource.class, PlatformTransactionManager.class})
public class PersistenceAutoConfiguration {

    @Bean
    ServiceBackup serviceBackup(@Value("${spring.application.name}") String service, DataSource dataSource,
            PlatformTransactionManager transactions, ObjectProvider<BackupContributor> contributors) {
        return new ServiceBackup(service, dataSource, transactions, contributors.orderedStream().toList());
    }

    @Bean
    PersistenceController persistenceController(ServiceBackup backup) {
        return new PersistenceController(backup);
    }
}
