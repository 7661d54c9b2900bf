package org.loom.delivery;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Webhooks, the webhook outbox and the dead-letter admin view. */
@SpringBootApplication
public class DeliveryWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(DeliveryWorkerApplication.class, args);
    }
}
