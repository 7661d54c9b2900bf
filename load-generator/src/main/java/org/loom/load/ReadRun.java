package org.loom.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;
import org.loom.protocol.thread.DagNode;
import org.loom.protocol.thread.ThreadDag;

import tools.jackson.databind.JsonNode;

/** The reads after the writes: thread renders, searches and the read-back of accepted ids. */
final class ReadRun {

    static final String RENDER_ROUTE = "GET /v1/threads/{id}/envelopes";
    static final String SEARCH_ROUTE = "GET /v1/search";

    private final WorkloadPlan plan;
    private final String[] tokens;
    private final NodeClient client;
    private final int concurrency;

    ReadRun(WorkloadPlan plan, String[] tokens, NodeClient client, int concurrency) {
        this.plan = plan;
        this.tokens = tokens;
        this.client = client;
        this.concurrency = concurrency;
    }

    /**
     * Renders {@code count} threads (cycling through those with an accepted first envelope), each read by its first
     * sender. A render counts as right when it lists exactly the thread's accepted envelopes in canonical order.
     */
    ReadResult renders(int count, Set<String> acceptedIds) {
        List<List<PlannedEnvelope>> threads = new ArrayList<>();
        for (List<PlannedEnvelope> thread : plan.threads().values()) {
            if (acceptedIds.contains(thread.get(0).id())) {
                threads.add(thread);
            }
        }
        if (threads.isEmpty() || count == 0) {
            return ReadResult.skipped(RENDER_ROUTE);
        }
        return measure(RENDER_ROUTE, count, index -> {
            List<PlannedEnvelope> thread = threads.get(index % threads.size());
            Set<String> expected = new HashSet<>();
            thread.stream().map(PlannedEnvelope::id).filter(acceptedIds::contains).forEach(expected::add);
            return new Read("/v1/threads/" + thread.get(0).threadId() + "/envelopes",
                    tokens[thread.get(0).sender()], body -> rendersInCanonicalOrder(body, expected));
        });
    }

    /** Searches for words the envelopes contain; a node without the route is reported, not a failure. */
    ReadResult searches(int count, long seed) {
        if (count == 0) {
            return ReadResult.skipped(SEARCH_ROUTE);
        }
        Random random = new Random(seed);
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            queries.add(EnvelopeFactory.WORDS.get(random.nextInt(EnvelopeFactory.WORDS.size())));
        }
        try {
            NodeClient.Answer probe = client.get("/v1/search?q=" + queries.get(0), tokens[0]);
            if (probe.status() == 404) {
                return ReadResult.unsupported(SEARCH_ROUTE);
            }
        } catch (IOException e) {
            throw new LoadFailure("cannot reach " + client.base() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailure("interrupted", e);
        }
        return measure(SEARCH_ROUTE, count, index -> new Read("/v1/search?q=" + NodeClient.encode(queries.get(index)),
                tokens[index % tokens.length], body -> true));
    }

    /** Reads back {@code count} accepted ids (a seeded sample), each by its sender. */
    ReadbackResult readback(int count, List<String> acceptedIds, long seed) {
        List<String> sample = new ArrayList<>(acceptedIds);
        Collections.shuffle(sample, new Random(seed));
        sample = sample.subList(0, Math.min(count, sample.size()));
        Map<String, Integer> senderById = new HashMap<>();
        for (PlannedEnvelope envelope : plan.envelopes()) {
            senderById.put(envelope.id(), envelope.sender());
        }
        List<String> ids = sample;
        AtomicInteger found = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<String> missing = Collections.synchronizedList(new ArrayList<>());
        Workers.run("loom-load-readback", concurrency, ids.size(), index -> {
            String id = ids.get(index);
            try {
                NodeClient.Answer answer = client.get("/v1/envelopes/" + id, tokens[senderById.get(id)]);
                if (answer.status() == 200 && id.equals(answer.json().path("id").asString(""))) {
                    found.incrementAndGet();
                } else if (answer.status() == 404) {
                    missing.add(id);
                } else {
                    errors.incrementAndGet();
                }
            } catch (IOException e) {
                errors.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoadFailure("interrupted", e);
            }
        });
        List<String> shown = new ArrayList<>(missing.subList(0, Math.min(20, missing.size())));
        return new ReadbackResult(ids.size(), found.get(), missing.size(), errors.get(), shown);
    }

    /** Whether a thread render holds exactly {@code expected} and lists it in the canonical rendering order. */
    static boolean rendersInCanonicalOrder(JsonNode body, Set<String> expected) {
        List<DagNode> listed = new ArrayList<>();
        for (JsonNode envelope : body.path("envelopes")) {
            JsonNode parent = envelope.path("parent_id");
            listed.add(DagNode.of(envelope.path("id").asString(""), parent.isString() ? parent.stringValue() : null,
                    envelope.path("created_at").asString("")));
        }
        Set<String> ids = new HashSet<>();
        listed.forEach(node -> ids.add(node.id()));
        if (ids.size() != listed.size() || !ids.equals(expected)) {
            return false;
        }
        return ThreadDag.canonicalOrder(listed).equals(listed);
    }

    /** One read: where, as whom, and how to tell a right answer. */
    private record Read(String pathAndQuery, String token, java.util.function.Predicate<JsonNode> right) {
    }

    private ReadResult measure(String route, int count, IntFunction<Read> reads) {
        List<Histogram> histograms = Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<Histogram> local = ThreadLocal.withInitial(() -> {
            Histogram histogram = LatencySummary.newHistogram();
            histograms.add(histogram);
            return histogram;
        });
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger mismatches = new AtomicInteger();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        Workers.run("loom-load-read", concurrency, count, index -> {
            Read read = reads.apply(index);
            long sent = System.nanoTime();
            try {
                NodeClient.Answer answer = client.get(read.pathAndQuery(), read.token());
                long micros = (System.nanoTime() - sent) / 1000;
                if (answer.status() == 200) {
                    local.get().recordValue(micros);
                    if (read.right().test(answer.json())) {
                        ok.incrementAndGet();
                    } else {
                        mismatches.incrementAndGet();
                    }
                } else {
                    failures.computeIfAbsent(answer.errorCode(), code -> new AtomicInteger()).incrementAndGet();
                }
            } catch (IOException e) {
                failures.computeIfAbsent("TRANSPORT", code -> new AtomicInteger()).incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoadFailure("interrupted", e);
            }
        });
        Histogram all = LatencySummary.newHistogram();
        histograms.forEach(all::add);
        Map<String, Integer> failed = new TreeMap<>();
        failures.forEach((code, n) -> failed.put(code, n.get()));
        return new ReadResult(route, true, count, ok.get(), mismatches.get(), failed, LatencySummary.of(all));
    }
}
