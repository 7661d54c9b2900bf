package org.loom.load;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.loom.protocol.time.Timestamps;

/** One run of the generator from setup to report. Progress goes to {@code log}, one line per phase. */
public final class LoadRun {

    /** How long the federation scenario waits for the peer to store what the target queued. */
    static final Duration FEDERATION_DEADLINE = Duration.ofMinutes(10);

    private final LoadOptions options;
    private final PrintStream log;

    public LoadRun(LoadOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    public LoadReport execute() {
        CpuMeter.Reading runStart = CpuMeter.read();
        String startedAt = Timestamps.format(Instant.now());
        NodeClient client = new NodeClient(options.target(), options.timeout());
        String nodeId = client.nodeDocument().map(document -> document.path("node_id").asString("")).orElse("");

        long began = System.nanoTime();
        String run = Long.toString(new Random().nextLong() & Long.MAX_VALUE, 36);
        Optional<FederationRun> federation = options.scenario() == LoadOptions.Scenario.FEDERATION
                ? Optional.of(new FederationRun(client, new NodeClient(options.peer().orElseThrow(),
                        options.timeout()), options.concurrency()))
                : Optional.empty();
        // Federated envelopes must come from the target's own domain (the peer asks the target for their keys) and go
        // to the peer's; the other scenarios use --domain throughout.
        String senderDomain = federation.map(FederationRun::targetDomain).orElse(options.domain());
        List<LoadIdentity> identities = new ArrayList<>();
        for (int i = 0; i < options.identities(); i++) {
            identities.add(LoadIdentity.generate(run, i, senderDomain));
        }
        String[] tokens = new String[identities.size()];
        Workers.run("loom-load-setup", options.concurrency(), identities.size(), index -> {
            client.register(identities.get(index));
            tokens[index] = client.authenticate(identities.get(index));
        });
        double setupSeconds = seconds(began);
        log.printf("registered and authenticated %d identities in %.1f s%n", identities.size(), setupSeconds);

        List<String> recipientAddresses = identities.stream().map(LoadIdentity::address).toList();
        String[] peerTokens = null;
        String peerNodeId = null;
        if (federation.isPresent()) {
            if (!federation.get().supported(tokens[0])) {
                log.println("federation: not supported by this node (no /v1/federation/outbox)");
                return new LoadReport(options, startedAt, nodeId, setupSeconds, 0, Optional.empty(),
                        ReadResult.skipped(ReadRun.RENDER_ROUTE), ReadResult.skipped(ReadRun.SEARCH_ROUTE),
                        Optional.empty(), Optional.of(FederationResult.unsupported()),
                        CpuMeter.share(runStart, CpuMeter.read()));
            }
            peerNodeId = federation.get().peerNodeId();
            String peerDomain = federation.get().peerDomain();
            List<LoadIdentity> recipients = new ArrayList<>();
            for (int i = 0; i < options.identities(); i++) {
                recipients.add(LoadIdentity.generate(run, i, peerDomain));
            }
            peerTokens = federation.get().prepareRecipients(recipients);
            recipientAddresses = recipients.stream().map(LoadIdentity::address).toList();
            log.printf("registered %d recipients on %s (%s); senders are of %s%n", recipients.size(), peerNodeId,
                    peerDomain, senderDomain);
        }

        Random random = new Random(options.seed());
        WorkloadPlan plan = switch (options.scenario()) {
            case INGEST -> WorkloadPlan.ingest(options.envelopes(), options.mix(), options.depth(), options.width(),
                    options.recipients(), options.identities(), random);
            case RENDER_THREAD -> WorkloadPlan.longThread(options.threadSize(), options.recipients(),
                    options.identities(), random);
            // One envelope per thread: delivery rate, not threading, is what this scenario is about.
            case FEDERATION -> WorkloadPlan.ingest(options.envelopes(), ShapeMix.parse("new:100"), options.depth(),
                    options.width(), 1, options.identities(), random);
        };
        began = System.nanoTime();
        byte[][] bodies = new EnvelopeFactory(identities, recipientAddresses, options.textBytes(), options.seed())
                .signAll(plan);
        double presignSeconds = seconds(began);
        log.printf("pre-signed %d envelopes in %.1f s%n", plan.size(), presignSeconds);

        long writesBegan = System.nanoTime();
        WriteResult write = new WriteRun(plan, bodies, tokens, client, options.concurrency(),
                new RatePacer(options.rate()), log).run();
        log.printf("writes done: %d of %d accepted in %.1f s%n", write.accepted(), write.submitted(),
                write.seconds());

        ReadRun reads = new ReadRun(plan, tokens, client, options.readConcurrency());
        ReadResult renders = options.scenario() == LoadOptions.Scenario.FEDERATION
                ? ReadResult.skipped(ReadRun.RENDER_ROUTE)
                : reads.renders(options.renders(), new HashSet<>(write.acceptedIds()));
        ReadResult searches = options.scenario() == LoadOptions.Scenario.INGEST
                ? reads.searches(options.searches(), options.seed())
                : ReadResult.skipped(ReadRun.SEARCH_ROUTE);
        ReadbackResult readback = reads.readback(options.readback(), write.acceptedIds(), options.seed());
        log.printf("reads done: %d renders, %d searches, %d read back%n", renders.requests(), searches.requests(),
                readback.sampled());

        Optional<FederationResult> delivered = Optional.empty();
        if (federation.isPresent()) {
            log.printf("waiting for %d envelopes on %s%n", write.accepted(), peerNodeId);
            delivered = Optional.of(federation.get().awaitDelivery(plan, write.acceptedIds(), peerTokens, peerNodeId,
                    writesBegan, FEDERATION_DEADLINE));
        }
        return new LoadReport(options, startedAt, nodeId, setupSeconds, presignSeconds, Optional.of(write), renders,
                searches, Optional.of(readback), delivered, CpuMeter.share(runStart, CpuMeter.read()));
    }

    private static double seconds(long beganNanos) {
        return (System.nanoTime() - beganNanos) / 1e9;
    }

}
