package org.loom.protocol.kafka;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The latest state of an identity, as far as other services need it: its type and its signing keys. Produced by the
 * api-gateway on the compacted {@link Topics#IDENTITY_CHANGES} whenever an identity is registered, changes keys or is
 * deleted, keyed by identity URI; consumed by every other service to keep a local read model.
 *
 * <p>Each record is the whole state, not a difference, so compaction may drop all but the latest record of an identity.
 *
 * @param messageId    unique per record
 * @param identity     the identity URI
 * @param identityType the registered identity type ({@code human}, {@code agent}, ...)
 * @param keys         every signing key of the identity, revoked ones included
 * @param deleted      true when the identity no longer exists
 * @param changedAt    when the change was committed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IdentityChanged(
        String messageId,
        String identity,
        String identityType,
        List<Key> keys,
        boolean deleted,
        Instant changedAt) implements LoomMessage {

    public IdentityChanged {
        Checks.messageId(messageId);
        Checks.text(identity, "identity");
        Checks.text(identityType, "identity_type");
        keys = List.copyOf(Checks.present(keys, "keys"));
        Checks.present(changedAt, "changed_at");
    }

    /**
     * One signing key of an identity.
     *
     * @param keyId        the key id
     * @param publicKeyPem the Ed25519 public key, PEM encoded
     * @param status       {@link #ACTIVE} or {@link #REVOKED}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Key(String keyId, String publicKeyPem, String status) {

        /** The key signs for the identity. */
        public static final String ACTIVE = "active";
        /** The key no longer signs for the identity; signatures made with it are refused. */
        public static final String REVOKED = "revoked";

        public Key {
            Checks.text(keyId, "key_id");
            Checks.text(publicKeyPem, "public_key_pem");
            if (!ACTIVE.equals(status) && !REVOKED.equals(status)) {
                throw new IllegalArgumentException("key status must be active or revoked, got " + status);
            }
        }

        /** True when the key signs for the identity. */
        public boolean active() {
            return ACTIVE.equals(status);
        }
    }
}
