package org.loom.envelope.thread.op;

import java.util.Optional;
import org.loom.envelope.thread.Participant;
import org.loom.envelope.thread.Participants;
import org.loom.protocol.thread.ThreadOpIntent;
import org.springframework.stereotype.Component;

/**
 * {@code thread.delegate@v1} {@code {identity}}: hands the thread's ownership over. Every current owner becomes a
 * participant and the identity becomes the owner, joining if it was not in the thread and rejoining if it had left.
 */
@Component
class DelegateThreadOperation implements ThreadOperation {

    @Override
    public ThreadOpIntent intent() {
        return ThreadOpIntent.DELEGATE;
    }

    @Override
    public ThreadOperationOutcome apply(ThreadOperationRequest request) {
        String identity = ParameterReader.identity(request.parameters(), "identity", intent().wireName());
        Participants next = request.participants();
        for (Participant owner : request.participants().members()) {
            if (owner.activeOwner()) {
                next = next.with(new Participant(owner.identity(), Participant.PARTICIPANT, owner.joinedAt(),
                        owner.leftAt()));
            }
        }
        Participant newOwner = next.find(identity)
                .map(existing -> new Participant(identity, Participant.OWNER, existing.joinedAt(), Optional.empty()))
                .orElseGet(() -> new Participant(identity, Participant.OWNER, request.envelope().createdAt(),
                        Optional.empty()));
        return new ThreadOperationOutcome(request.thread(), next.with(newOwner));
    }
}
