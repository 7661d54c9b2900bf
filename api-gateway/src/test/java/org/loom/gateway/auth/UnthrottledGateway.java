package org.loom.gateway.auth;

import org.loom.gateway.RunningGateway;
import org.springframework.test.context.TestPropertySource;

/**
 * The gateway with the per-address limit on authentication routes lifted: every test client calls from 127.0.0.1,
 * and the identity and auth suites log in far more often than one person would. Published outbox rows are kept, so
 * that the identity suite can read what each change queued. Test classes extending this share one context.
 */
@TestPropertySource(properties = {"loom.gateway.web.rate-limit-sensitive-max=0", "loom.outbox.retention-ms=3600000"})
public abstract class UnthrottledGateway extends RunningGateway {
}
