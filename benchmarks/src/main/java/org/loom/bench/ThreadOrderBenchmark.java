package org.loom.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.loom.protocol.thread.DagNode;
import org.loom.protocol.thread.ThreadDag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Canonical rendering order (spec §10.3) of a large thread, as {@code GET /v1/threads/{id}/envelopes} needs it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ThreadOrderBenchmark {

    @Param({"10000"})
    public int envelopes;

    private List<DagNode> thread;

    @Setup
    public void setUp() {
        thread = SampleEnvelopes.thread(envelopes, 42);
    }

    @Benchmark
    public List<DagNode> canonicalOrder() {
        return ThreadDag.canonicalOrder(thread);
    }
}
