package org.loom.envelope;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Threads, envelopes, thread operations, capabilities, delegations, search and the audit chain. */
@SpringBootApplication
public class EnvelopeServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(EnvelopeServiceApplication.class, args);
    }
}
