package org.loom.envelope.thread.op;

import java.util.Optional;
import java.util.function.Function;
import org.loom.envelope.capability.Capabilities;
import org.loom.envelope.capability.CapabilityStore;
import org.loom.envelope.capability.StoredCapability;
import org.loom.envelope.delegation.Delegations;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.thread.ThreadOpIntent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The operations that record a change to a capability token or a delegation in a thread:
 * <ul>
 *   <li>{@code capability.revoked@v1} {@code {capability_id}}: revokes a token of this thread; the first revocation
 *       raises {@code cap_epoch}, invalidating every older token of the thread;</li>
 *   <li>{@code capability.spent@v1} {@code {capability_id}}: marks a token of this thread spent;</li>
 *   <li>{@code delegation.revoked@v1} {@code {delegation_id}}: revokes a delegation of the actor (spec §13.4), from
 *       then on refused in every chain.</li>
 * </ul>
 * Changes are recorded at the operation's {@code created_at}.
 */
@Configuration(proxyBeanMethods = false)
class CapabilityStateOperations {

    @Bean
    ThreadOperation capabilityRevoked(CapabilityStore store, Capabilities capabilities) {
        return simple(ThreadOpIntent.CAPABILITY_REVOKED, request -> {
            StoredCapability token = tokenOfThread(store, request, "Capability token not found for revocation");
            if (store.revoke(token.id(), request.envelope().createdAt())) {
                capabilities.auditRevoke(token.id(), request.thread().id(), request.actor());
                return request.withThread(request.thread().withCapEpoch(request.thread().capEpoch() + 1));
            }
            return request.withThread(request.thread());
        });
    }

    @Bean
    ThreadOperation capabilitySpent(CapabilityStore store) {
        return simple(ThreadOpIntent.CAPABILITY_SPENT, request -> {
            StoredCapability token = tokenOfThread(store, request, "Capability token not found for spend update");
            store.spend(token.id(), request.envelope().createdAt());
            return request.withThread(request.thread());
        });
    }

    @Bean
    ThreadOperation delegationRevoked(Delegations delegations) {
        return simple(ThreadOpIntent.DELEGATION_REVOKED, request -> {
            String id = ParameterReader.requiredText(request.parameters(), "delegation_id",
                    ThreadOpIntent.DELEGATION_REVOKED.wireName());
            delegations.revoke(request.actor(), id, request.envelope().createdAt());
            return request.withThread(request.thread());
        });
    }

    private static StoredCapability tokenOfThread(CapabilityStore store, ThreadOperationRequest request,
            String message) {
        String id = request.parameters().path("capability_id").isString()
                ? request.parameters().get("capability_id").stringValue() : null;
        return (id == null ? Optional.<StoredCapability>empty() : store.find(id))
                .filter(token -> token.threadId().equals(request.thread().id()))
                .orElseThrow(() -> LoomException.invalid(message,
                        LoomException.details("capability_id", id, "thread_id", request.thread().id())));
    }

    private static ThreadOperation simple(ThreadOpIntent intent,
            Function<ThreadOperationRequest, ThreadOperationOutcome> effect) {
        return new ThreadOperation() {
            @Override
            public ThreadOpIntent intent() {
                return intent;
            }

            @Override
            public ThreadOperationOutcome apply(ThreadOperationRequest request) {
                return effect.apply(request);
            }
        };
    }
}
