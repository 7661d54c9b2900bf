package org.loom.gateway.auth;

import org.loom.gateway.RunningGateway;
import org.springframework.test.context.TestPropertySource;

/**
 * The gateway with the per-address limit on authentication routes lifted: every test client calls from 127.0.0.1,
 * and the identity and auth suites log in far more often than one person would. Test classes extending this share
 * one context.
 */
@TestPropertySource(properties = "loom.gateway.web.rate-limit-sensitive-max=0")
public abstract class UnthrottledGateway extends RunningGateway {
}
