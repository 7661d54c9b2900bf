package org.loom.federation;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Node registry, signed node-to-node delivery and the federation outbox. */
@SpringBootApplication
public class FederationServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(FederationServiceApplication.class, args);
    }
}
