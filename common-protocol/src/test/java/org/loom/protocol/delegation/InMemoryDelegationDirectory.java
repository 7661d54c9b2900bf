package org.loom.protocol.delegation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.loom.protocol.crypto.VerifyingKey;

/** Identities, keys and revocations held in maps: the test data a chain is judged against. */
final class InMemoryDelegationDirectory implements DelegationDirectory {

    private final Map<String, Map<String, VerifyingKey>> keysByIdentity = new LinkedHashMap<>();
    private final Set<String> revoked = new HashSet<>();

    InMemoryDelegationDirectory register(String identity, String keyId, VerifyingKey key) {
        keysByIdentity.computeIfAbsent(identity, id -> new LinkedHashMap<>()).put(keyId, key);
        return this;
    }

    InMemoryDelegationDirectory registerWithoutKeys(String identity) {
        keysByIdentity.computeIfAbsent(identity, id -> new LinkedHashMap<>());
        return this;
    }

    InMemoryDelegationDirectory revoke(String delegationId) {
        revoked.add(delegationId);
        return this;
    }

    @Override
    public boolean isKnownIdentity(String identity) {
        return keysByIdentity.containsKey(identity);
    }

    @Override
    public List<String> signingKeyIds(String identity) {
        return new ArrayList<>(keysByIdentity.getOrDefault(identity, Map.of()).keySet());
    }

    @Override
    public Optional<VerifyingKey> signingKey(String identity, String keyId) {
        return Optional.ofNullable(keysByIdentity.getOrDefault(identity, Map.of()).get(keyId));
    }

    @Override
    public boolean isRevoked(String delegationId) {
        return revoked.contains(delegationId);
    }
}
