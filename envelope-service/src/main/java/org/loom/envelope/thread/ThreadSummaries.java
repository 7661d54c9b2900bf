package org.loom.envelope.thread;

import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Builds thread summaries with everything they show: participants, forks and links, loaded in batches. */
@Component
public class ThreadSummaries {

    private final ThreadStore threads;
    private final ThreadRelationStore relations;

    public ThreadSummaries(ThreadStore threads, ThreadRelationStore relations) {
        this.threads = threads;
        this.relations = relations;
    }

    /** The summary of one thread. */
    public ThreadSummary of(ThreadRecord thread) {
        return new ThreadSummary(thread, threads.participants(thread.id()), relations.forks(thread.id()),
                relations.links(thread.id()));
    }

    /** The summaries of several threads, in the order given. */
    public List<ThreadSummary> of(List<ThreadRecord> shown) {
        List<String> ids = shown.stream().map(ThreadRecord::id).toList();
        Map<String, Participants> participants = threads.participants(ids);
        Map<String, List<ThreadFork>> forks = relations.forks(ids);
        Map<String, List<ThreadLink>> links = relations.links(ids);
        return shown.stream().map(thread -> new ThreadSummary(thread, participants.get(thread.id()),
                forks.get(thread.id()), links.get(thread.id()))).toList();
    }
}
