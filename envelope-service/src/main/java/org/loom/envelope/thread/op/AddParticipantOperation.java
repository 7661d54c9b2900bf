package org.loom.envelope.thread.op;

import java.util.Optional;
import org.loom.envelope.thread.Participant;
import org.loom.envelope.thread.Participants;
import org.loom.protocol.capability.Grant;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.thread.ThreadOpIntent;
import org.springframework.stereotype.Component;

/**
 * {@code thread.add_participant@v1} {@code {identity, role?}}: adds the identity with the role ({@code participant}
 * by default), joining when the operation was created; a participant who left rejoins, keeping their role unless
 * one is given. Making someone an owner hands out ownership, so a non-owner needs the {@code delegate} grant for that
 * as well.
 */
@Component
class AddParticipantOperation implements ThreadOperation {

    @Override
    public ThreadOpIntent intent() {
        return ThreadOpIntent.ADD_PARTICIPANT;
    }

    @Override
    public ThreadOperationOutcome apply(ThreadOperationRequest request) {
        String identity = ParameterReader.identity(request.parameters(), "identity", intent().wireName());
        Optional<String> role = ParameterReader.optionalText(request.parameters(), "role");
        if (role.filter(Participant.OWNER::equals).isPresent() && !request.actsWithGrant(Grant.DELEGATE.wireName())) {
            throw LoomException.capabilityDenied("Adding an owner requires the delegate grant",
                    LoomException.details("required_grant", Grant.DELEGATE.wireName(), "actor", request.actor()));
        }
        Participants participants = request.participants();
        Participant next = participants.find(identity)
                .map(existing -> new Participant(identity, role.orElse(existing.role()), existing.joinedAt(),
                        Optional.empty()))
                .orElseGet(() -> new Participant(identity, role.orElse(Participant.PARTICIPANT),
                        request.envelope().createdAt(), Optional.empty()));
        return new ThreadOperationOutcome(request.thread(), participants.with(next));
    }
}
