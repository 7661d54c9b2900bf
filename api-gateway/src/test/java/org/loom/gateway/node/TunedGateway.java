package org.loom.gateway.node;

import org.loom.gateway.auth.UnthrottledGateway;
import org.springframework.test.context.TestPropertySource;

/**
 * A second gateway context, configured as a plain-HTTP node behind a public base URL with a configured node key and
 * credentials that expire within a second (and, as its parent, no limit on logins). Test classes extending this
 * share it.
 */
@TestPropertySource(properties = {
        "loom.node.public-base-url=http://127.0.0.1:18787/",
        "loom.node.domain=node.test",
        "loom.node.node-id=node.test",
        "loom.node.signing-key-id=k_node_sign_test_1",
        "loom.node.signing-private-key-pem=" + TunedGateway.NODE_KEY_PEM,
        "loom.auth.challenge-ttl=1s",
        "loom.auth.access-token-ttl=1s",
        "loom.auth.sweep-interval=200ms"})
public abstract class TunedGateway extends UnthrottledGateway {

    /** The Ed25519 key whose seed is 32 bytes of 0x07, on one line with literal {@code \n} separators. */
    public static final String NODE_KEY_PEM =
            "-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\\n"
                    + "-----END PRIVATE KEY-----\\n";

    /** The public half of {@link #NODE_KEY_PEM}, as published in test vectors. */
    public static final String NODE_PUBLIC_KEY_PEM = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=
            -----END PUBLIC KEY-----
            """;
}
