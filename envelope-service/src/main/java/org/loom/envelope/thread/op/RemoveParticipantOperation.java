package org.loom.envelope.thread.op;

import java.util.Optional;
import org.loom.envelope.thread.Participant;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.thread.ThreadOpIntent;
import org.springframework.stereotype.Component;

/**
 * {@code thread.remove_participant@v1} {@code {identity}}: the participant leaves the thread when the operation was
 * created (a participant who already left keeps their first leaving time). Owners cannot be removed this way:
 * ownership moves with {@code thread.delegate@v1} first.
 */
@Component
class RemoveParticipantOperation implements ThreadOperation {

    @Override
    public ThreadOpIntent intent() {
        return ThreadOpIntent.REMOVE_PARTICIPANT;
    }

    @Override
    public ThreadOperationOutcome apply(ThreadOperationRequest request) {
        String identity = ParameterReader.identity(request.parameters(), "identity", intent().wireName());
        Participant existing = request.participants().find(identity).orElseThrow(() -> LoomException.invalid(
                "Participant not found for removal", LoomException.details("participant", identity)));
        if (Participant.OWNER.equals(existing.role())) {
            throw new LoomException(ErrorCode.STATE_TRANSITION_INVALID, "Cannot remove thread owner directly",
                    LoomException.details("participant", identity));
        }
        Participant left = new Participant(identity, existing.role(), existing.joinedAt(),
                Optional.of(existing.leftAt().orElse(request.envelope().createdAt())));
        return new ThreadOperationOutcome(request.thread(), request.participants().with(left));
    }
}
