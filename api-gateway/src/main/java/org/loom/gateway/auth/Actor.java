package org.loom.gateway.auth;

import java.util.Objects;

/**
 * Who is making a request, as proven by a bearer token: the identity and the key whose challenge it signed.
 *
 * @param identity the authenticated identity URI, e.g. {@code loom://alice@node.test}
 * @param keyId    the identity's key that obtained the token
 */
public record Actor(String identity, String keyId) {

    public Actor {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(keyId, "keyId");
    }
}
