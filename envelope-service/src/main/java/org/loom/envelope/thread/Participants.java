package org.loom.envelope.thread;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The participants of one thread, in the order they joined.
 *
 * @param members every participant, those who left included
 */
public record Participants(List<Participant> members) {

    public Participants {
        members = List.copyOf(members);
    }

    /**
     * The participants of a new thread: the sender as owner, then every distinct recipient identity, in the order
     * of {@code to[]}, each joining when the first envelope was created.
     */
    public static Participants ofNewThread(String sender, Iterable<String> recipients, String createdAt) {
        Set<String> seen = new LinkedHashSet<>();
        List<Participant> members = new ArrayList<>();
        seen.add(sender);
        members.add(new Participant(sender, Participant.OWNER, createdAt, Optional.empty()));
        for (String recipient : recipients) {
            if (seen.add(recipient)) {
                members.add(new Participant(recipient, Participant.PARTICIPANT, createdAt,
                        Optional.empty()));
            }
        }
        return new Participants(members);
    }

    /** True when the identity is in the thread now. */
    public boolean isActive(String identity) {
        return members.stream().anyMatch(p -> p.identity().equals(identity) && p.active());
    }

    /** True when the identity is an owner in the thread now. */
    public boolean isActiveOwner(String identity) {
        return members.stream().anyMatch(p -> p.identity().equals(identity) && p.activeOwner());
    }

    /** The participant with this identity, whether or not they left. */
    public Optional<Participant> find(String identity) {
        return members.stream().filter(p -> p.identity().equals(identity)).findFirst();
    }

    /** The identities in the thread now. */
    public List<Participant> active() {
        return members.stream().filter(Participant::active).toList();
    }

    /** The participants with this one replaced (same identity, same place) or, when new, added last. */
    public Participants with(Participant changed) {
        List<Participant> next = new ArrayList<>(members);
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).identity().equals(changed.identity())) {
                next.set(i, changed);
                return new Participants(next);
            }
        }
        next.add(changed);
        return new Participants(next);
    }
}
