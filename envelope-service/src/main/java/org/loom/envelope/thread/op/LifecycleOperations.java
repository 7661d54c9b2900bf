package org.loom.envelope.thread.op;

import org.loom.protocol.thread.ThreadOpIntent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers one {@link LifecycleOperation} per lifecycle intent. */
@Configuration(proxyBeanMethods = false)
class LifecycleOperations {

    @Bean
    ThreadOperation resolveThread() {
        return new LifecycleOperation(ThreadOpIntent.RESOLVE);
    }

    @Bean
    ThreadOperation archiveThread() {
        return new LifecycleOperation(ThreadOpIntent.ARCHIVE);
    }

    @Bean
    ThreadOperation lockThread() {
        return new LifecycleOperation(ThreadOpIntent.LOCK);
    }

    @Bean
    ThreadOperation reopenThread() {
        return new LifecycleOperation(ThreadOpIntent.REOPEN);
    }
}
