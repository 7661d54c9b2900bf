package org.loom.email;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Email in and out, the email outbox and the legacy mailbox gateway. */
@SpringBootApplication
public class EmailBridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(EmailBridgeApplication.class, args);
    }
}
