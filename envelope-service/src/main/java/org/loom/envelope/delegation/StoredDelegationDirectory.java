package org.loom.envelope.delegation;

import java.util.List;
import java.util.Optional;
import org.loom.envelope.identity.IdentityView;
import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.VerifyingKey;
import org.loom.protocol.delegation.DelegationDirectory;
import org.loom.protocol.kafka.IdentityChanged;
import org.springframework.stereotype.Component;

/**
 * What delegation chains are verified against: identities and their keys from the local identity read model, and
 * revocations from the {@code delegation} table. Only a key registered to the delegator itself, and still active,
 * can sign for it.
 */
@Component
class StoredDelegationDirectory implements DelegationDirectory {

    private final IdentityView identities;
    private final DelegationStore delegations;

    StoredDelegationDirectory(IdentityView identities, DelegationStore delegations) {
        this.identities = identities;
        this.delegations = delegations;
    }

    @Override
    public boolean isKnownIdentity(String identity) {
        return identities.find(identity).isPresent();
    }

    @Override
    public List<String> signingKeyIds(String identity) {
        return identities.find(identity)
                .map(known -> known.keys().stream().filter(IdentityChanged.Key::active)
                        .map(IdentityChanged.Key::keyId).toList())
                .orElse(List.of());
    }

    @Override
    public Optional<VerifyingKey> signingKey(String identity, String keyId) {
        return identities.find(identity)
                .flatMap(known -> known.keys().stream()
                        .filter(key -> key.active() && key.keyId().equals(keyId))
                        .findFirst())
                .flatMap(key -> {
                    try {
                        return Optional.of(VerifyingKey.fromPem(key.publicKeyPem()));
                    } catch (InvalidKeyException e) {
                        return Optional.empty();
                    }
                });
    }

    @Override
    public boolean isRevoked(String delegationId) {
        return delegations.isRevoked(delegationId);
    }
}
