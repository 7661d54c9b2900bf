package org.loom.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of the load generator is asked to do, parsed from {@code --name value} arguments.
 *
 * @param target      base URL of the node under load
 * @param peer        base URL of a second node (federation scenario only)
 * @param scenario    what to run
 * @param identities  identities registered for the run (at least 2)
 * @param envelopes   envelopes submitted in the ingest and federation scenarios
 * @param mix         share of envelopes per thread shape (ingest)
 * @param depth       envelopes per deep-reply chain
 * @param width       replies per wide fan-out thread
 * @param recipients  recipients a thread starter names in {@code to}
 * @param threadSize  envelopes in the one thread of the render-thread scenario
 * @param concurrency concurrent keep-alive clients
 * @param readConcurrency concurrent clients for the renders, searches and read-back after the writes
 * @param rate        target submissions per second, 0 for as fast as the node answers
 * @param renders     thread reads after the writes
 * @param searches    search reads after the writes
 * @param readback    accepted ids read back afterwards to prove they are stored
 * @param textBytes   approximate size of each envelope's human text
 * @param domain      domain of the generated identities
 * @param seed        seed of the workload's random choices, so a run can be repeated
 * @param timeout     per-request timeout
 * @param output      where the JSON report goes
 * @param note        free text stored in the report (the node's settings, the machine's state)
 */
public record LoadOptions(
        URI target,
        Optional<URI> peer,
        Scenario scenario,
        int identities,
        int envelopes,
        ShapeMix mix,
        int depth,
        int width,
        int recipients,
        int threadSize,
        int concurrency,
        int readConcurrency,
        double rate,
        int renders,
        int searches,
        int readback,
        int textBytes,
        String domain,
        long seed,
        Duration timeout,
        Path output,
        String note) {

    /** The runs the generator knows. */
    public enum Scenario {
        /** Many threads of mixed shapes, then reads and a read-back. */
        INGEST,
        /** One long thread, then repeated renders of it in canonical order. */
        RENDER_THREAD,
        /** Envelopes written on the target addressed to identities of the peer, timed until the peer stores them. */
        FEDERATION;

        static Scenario parse(String text) {
            return switch (text) {
                case "ingest" -> INGEST;
                case "render-thread" -> RENDER_THREAD;
                case "federation" -> FEDERATION;
                default -> throw new IllegalArgumentException(
                        "--scenario must be ingest, render-thread or federation, got '" + text + "'");
            };
        }

        /** The name used on the command line and in reports. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public LoadOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(mix, "mix");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(note, "note");
        atLeast("--identities", identities, 2);
        atLeast("--envelopes", envelopes, 1);
        atLeast("--depth", depth, 2);
        atLeast("--width", width, 1);
        atLeast("--recipients", recipients, 1);
        atLeast("--thread-size", threadSize, 1);
        atLeast("--concurrency", concurrency, 1);
        atLeast("--read-concurrency", readConcurrency, 1);
        atLeast("--renders", renders, 0);
        atLeast("--searches", searches, 0);
        atLeast("--readback", readback, 0);
        atLeast("--text-bytes", textBytes, 1);
        if (recipients >= identities) {
            throw new IllegalArgumentException("--recipients must be below --identities (" + identities + ")");
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be 0 (flat out) or a positive number");
        }
        if (scenario == Scenario.FEDERATION && peer.isEmpty()) {
            throw new IllegalArgumentException("--scenario federation needs --peer <base URL of the receiving node>");
        }
    }

    /**
     * Parses {@code --name value} pairs; anything not given keeps its default (see {@link #usage()}).
     *
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    public static LoadOptions parse(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (!name.startsWith("--") || !DEFAULTS.containsKey(name.substring(2))) {
                throw new IllegalArgumentException("unknown argument '" + name + "' (see --help)");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            values.put(name.substring(2), args.get(++i));
        }
        Map<String, String> all = new LinkedHashMap<>(DEFAULTS);
        all.putAll(values);
        return new LoadOptions(
                uri("target", all.get("target")),
                Optional.ofNullable(emptyToNull(all.get("peer"))).map(text -> uri("peer", text)),
                Scenario.parse(all.get("scenario")),
                integer("identities", all),
                integer("envelopes", all),
                ShapeMix.parse(all.get("mix")),
                integer("depth", all),
                integer("width", all),
                integer("recipients", all),
                integer("thread-size", all),
                integer("concurrency", all),
                // 0 (the default) reads with as many clients as wrote
                integer("read-concurrency", all) == 0 ? integer("concurrency", all) : integer("read-concurrency", all),
                number("rate", all),
                integer("renders", all),
                integer("searches", all),
                integer("readback", all),
                integer("text-bytes", all),
                all.get("domain"),
                Long.parseLong(all.get("seed")),
                Duration.ofMillis(integer("timeout-ms", all)),
                Path.of(all.get("output")),
                all.get("note"));
    }

    /** The help text: every argument with its default. */
    public static String usage() {
        List<String> lines = new ArrayList<>();
        lines.add("Usage: java -jar load-generator/target/loom-load.jar [--name value]...");
        lines.add("");
        lines.add("Drives a LOOM node through its public HTTP API only: registers identities, authenticates them,");
        lines.add("pre-signs every envelope, submits them, reads threads back, and reports throughput and latency.");
        lines.add("Run the node with LOOM_RATE_LIMIT_SENSITIVE_MAX=0, or 429 answers will dominate the run.");
        lines.add("");
        HELP.forEach((name, help) -> lines.add(String.format(Locale.ROOT, "  --%-16s %s (default: %s)", name, help,
                DEFAULTS.get(name).isEmpty() ? "none" : DEFAULTS.get(name))));
        lines.add("  --help             this text");
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    /** Whether submissions are paced rather than sent as fast as the node answers. */
    public boolean paced() {
        return rate > 0;
    }

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    private static final Map<String, String> HELP = new LinkedHashMap<>();

    static {
        option("target", "http://127.0.0.1:8787", "base URL of the node under load");
        option("scenario", "ingest", "ingest | render-thread | federation");
        option("peer", "", "federation: base URL of the receiving node");
        option("identities", "20", "identities registered for the run");
        option("envelopes", "2000", "envelopes submitted (ingest, federation)");
        option("mix", "new:40,deep:30,wide:30", "share of envelopes per thread shape, in percent");
        option("depth", "20", "envelopes per deep-reply chain");
        option("width", "50", "replies to the first envelope of a wide thread");
        option("recipients", "2", "recipients named by each thread's first envelope");
        option("thread-size", "10000", "render-thread: envelopes in the one thread");
        option("concurrency", "16", "concurrent keep-alive HTTP/1.1 clients");
        option("read-concurrency", "0", "concurrent clients for the reads after the writes; 0 uses --concurrency");
        option("rate", "0", "target submissions per second; 0 sends as fast as the node answers");
        option("renders", "100", "thread renders (GET /v1/threads/{id}/envelopes) after the writes");
        option("searches", "100", "searches (GET /v1/search) after the writes");
        option("readback", "500", "accepted envelope ids read back (GET /v1/envelopes/{id})");
        option("text-bytes", "300", "approximate size of each envelope's text");
        option("domain", "load.test", "domain of the generated identities");
        option("seed", "1", "seed of the workload's random choices");
        option("timeout-ms", "30000", "per-request timeout");
        option("output", "loom-load-report.json", "JSON report file");
        option("note", "", "free text kept in the report, e.g. the node's settings");
    }

    private static void option(String name, String defaultValue, String help) {
        DEFAULTS.put(name, defaultValue);
        HELP.put(name, help);
    }

    private static void atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", got " + value);
        }
    }

    private static URI uri(String name, String text) {
        try {
            URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("--" + name + " must be an http(s) URL, got '" + text + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("--")) {
                throw e;
            }
            throw new IllegalArgumentException("--" + name + " is not a URL: '" + text + "'", e);
        }
    }

    private static int integer(String name, Map<String, String> values) {
        try {
            return Integer.parseInt(values.get(name).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + values.get(name) + "'");
        }
    }

    private static double number(String name, Map<String, String> values) {
        try {
            return Double.parseDouble(values.get(name).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + values.get(name) + "'");
        }
    }

    private static String emptyToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
