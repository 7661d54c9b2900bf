package org.loom.node.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.loom.launcher.EmbeddedNodeSettings;
import org.loom.launcher.LoomNode;
import org.loom.node.fuzz.MappedRoutes.MappedRoute;
import org.loom.node.fuzz.Mutations.Mutated;
import org.loom.node.fuzz.RouteFixtures.Fixture;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.loom.testsupport.PostgresSchema;
import org.loom.testsupport.TestInfrastructure;
import org.loom.testsupport.client.NodeAnswer;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends every route of a running node well-formed and then mutated requests for a bounded time, and holds the node to
 * three promises: no 5xx and no dropped connection, every error answer in the protocol's error body, and nothing a
 * hostile request does changes what the node answers its ordinary users afterwards.
 *
 * <p>{@code -Dloom.fuzz.seconds=600} runs a long pass (default 40 s of requests); {@code -Dloom.fuzz.seed=<n>} replays
 * a run's sequence of requests (the seed is printed at the start); {@code -Dloom.fuzz.requests=<n>} also stops after
 * {@code n} requests, so a seed's pass is the same requests whatever the machine's speed. Without a seed the clock
 * gives one, except on CI ({@code CI=true}), where the fixed {@link #CI_SEED} keeps the build reproducible: a new
 * finding then comes from a deliberate local or long pass, not from the day's clock.
 * {@code -Dloom.fuzz.database=postgres} runs the node on the test PostgreSQL server (its own schemas, dropped
 * afterwards) instead of an H2 file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouteFuzzTest {

    private static final String ADMIN_TOKEN = "fuzz-admin-secret";
    private static final Set<String> ERROR_MEMBERS = Set.of("code", "message", "details", "request_id", "timestamp");
    private static final int MAX_REPORTED_FAILURES = 40;

    /** The seed on CI when none is given. */
    static final long CI_SEED = 20261204L;

    /** PostgreSQL server and state key when {@code loom.fuzz.database=postgres}; null on H2. */
    private static PostgresSchema postgres;
    private static String stateKey;

    @TempDir
    static Path dataDir;

    private static LoomNode node;
    private static NodeClient client;
    private static FuzzWorld world;
    private static Map<String, Object> readsBefore;

    @BeforeAll
    static void startNodeAndCreateWhatTheFixturesNeed() {
        Map<String, String> environment = new LinkedHashMap<>(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(),
                "PORT", "0",
                "LOOM_ADMIN_TOKEN", ADMIN_TOKEN,
                // The limiter stays in the path of every request, but high enough that the routes behind it are
                // what the pass exercises.
                "LOOM_RATE_LIMIT_DEFAULT_MAX", "10000000",
                "LOOM_RATE_LIMIT_SENSITIVE_MAX", "10000000"));
        String database = System.getProperty("loom.fuzz.database", "h2").strip().toLowerCase(Locale.ROOT);
        switch (database) {
            case "h2", "" -> {
            }
            case "postgres", "postgresql", "pg" -> {
                // A schema of the test server for its connection details; the node makes its own schemas under a
                // state key of its own, all dropped after the pass.
                postgres = TestInfrastructure.get().newSchema("route_fuzz");
                stateKey = "fz" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
                environment.put(EmbeddedNodeSettings.PG_URL,
                        postgres.jdbcUrl().replaceFirst("[?&]currentSchema=[^&]*", ""));
                environment.put(EmbeddedNodeSettings.PG_USER, postgres.user());
                environment.put(EmbeddedNodeSettings.PG_PASSWORD, postgres.password());
                environment.put(EmbeddedNodeSettings.PG_STATE_KEY, stateKey);
            }
            default -> throw new IllegalArgumentException("loom.fuzz.database must be h2 or postgres, got "
                    + database);
        }
        System.out.printf(Locale.ROOT, "Route fuzzing: node on %s%n", postgres == null ? "H2"
                : "PostgreSQL (state key " + stateKey + ")");
        node = LoomNode.start(EmbeddedNodeSettings.fromEnvironment(environment));
        client = new NodeClient(node.gatewayUrl());
        TestIdentity alice = TestIdentity.generate("loom://alice@fuzz.test");
        TestIdentity bob = TestIdentity.generate("loom://bob@fuzz.test");
        TestIdentity fuzzer = TestIdentity.generate("loom://fuzzer@fuzz.test");
        client.register(alice);
        client.register(bob);
        client.register(fuzzer);
        String aliceToken = client.token(alice);
        String bobToken = client.token(bob);
        JsonNode fuzzerTokens = tokens(fuzzer);

        String mainThread = LoomIds.next(IdPrefix.THREAD);
        String first = client.post("/v1/envelopes", aliceToken, NodeClient.message(alice, mainThread, null,
                List.of(bob.identity()), "quartz harbour at noon")).expect(201).get("id").stringValue();
        client.post("/v1/envelopes", bobToken, NodeClient.message(bob, mainThread, first,
                List.of(alice.identity()), "noon suits me")).expect(201);

        String fuzzThread = LoomIds.next(IdPrefix.THREAD);
        String fuzzToken = fuzzerTokens.get("access_token").stringValue();
        String fuzzEnvelope = client.post("/v1/envelopes", fuzzToken, NodeClient.message(fuzzer, fuzzThread, null,
                List.of(alice.identity()), "fuzz thread")).expect(201).get("id").stringValue();
        ObjectNode blob = LoomJson.mapper().createObjectNode().put("thread_id", fuzzThread).put("filename", "b.txt");
        String blobId = client.post("/v1/blobs", fuzzToken, blob).expect(201).get("blob_id").stringValue();

        world = new FuzzWorld(alice, aliceToken, bob, fuzzer, fuzzToken,
                fuzzerTokens.get("refresh_token").stringValue(), ADMIN_TOKEN, mainThread, fuzzThread, fuzzEnvelope,
                blobId);
        readsBefore = ordinaryReads();
    }

    @AfterAll
    static void stopNode() throws Exception {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            dropPostgresSchemas();
        }
    }

    /** Drops the schemas the node made under its state key, and the probe schema. */
    private static void dropPostgresSchemas() throws Exception {
        if (postgres == null) {
            return;
        }
        postgres.dropSchemasPrefixed(stateKey);
        postgres.drop();
        postgres = null;
    }

    /**
     * {@code loom.fuzz.seed} when given; else {@link #CI_SEED} when the environment says CI ({@code CI=true}), so a
     * CI run sends the same requests every time; else the clock.
     */
    static long seed(String given, String ci, long clock) {
        if (given != null && !given.isBlank()) {
            return Long.parseLong(given.strip());
        }
        if (ci != null && ci.strip().equalsIgnoreCase("true")) {
            return CI_SEED;
        }
        return clock;
    }

    @Test
    @Order(0)
    void theSeedIsFixedOnCiAndGivenSeedsWin() {
        assertThat(seed(null, "true", 42)).isEqualTo(CI_SEED);
        assertThat(seed("", "TRUE", 42)).isEqualTo(CI_SEED);
        assertThat(seed("7", "true", 42)).isEqualTo(7);
        assertThat(seed(null, null, 42)).isEqualTo(42);
        assertThat(seed(null, "false", 42)).isEqualTo(42);
    }

    @Test
    @Order(1)
    void everyMappedRouteHasAFixtureAndEveryFixtureAMappedRoute() {
        Set<String> mapped = new TreeSet<>();
        MappedRoutes.of(node.serviceContexts()).forEach(route -> mapped.add(route.key()));
        Set<String> fixtures = new TreeSet<>(RouteFixtures.all().keySet());

        Set<String> withoutFixture = new TreeSet<>(mapped);
        withoutFixture.removeAll(fixtures);
        Set<String> withoutRoute = new TreeSet<>(fixtures);
        withoutRoute.removeAll(mapped);

        assertThat(withoutFixture).as("mapped routes without a fixture in RouteFixtures").isEmpty();
        assertThat(withoutRoute).as("fixtures for routes no service maps any more").isEmpty();
    }

    @Test
    @Order(2)
    void hostileRequestsGetProtocolErrorsAndLeaveTheNodeServingItsUsers() {
        String givenSeed = System.getProperty("loom.fuzz.seed");
        String ci = System.getenv("CI");
        long seed = seed(givenSeed, ci, System.nanoTime());
        String origin = givenSeed != null && !givenSeed.isBlank() ? "given"
                : seed == CI_SEED && "true".equalsIgnoreCase(String.valueOf(ci).strip()) ? "CI" : "clock";
        long seconds = Long.getLong("loom.fuzz.seconds", 40);
        // Time alone makes the number of requests depend on the machine's speed: a cap makes a seed's pass the same
        // requests on any machine that reaches it in time.
        long maxRequests = Long.getLong("loom.fuzz.requests", Long.MAX_VALUE);
        System.out.printf(Locale.ROOT, "Route fuzzing: seed %d (%s), %d s%s on %s (replay with -Dloom.fuzz.seed=%d)%n",
                seed, origin, seconds, maxRequests == Long.MAX_VALUE ? "" : " or " + maxRequests + " requests",
                postgres == null ? "H2" : "PostgreSQL", seed);
        Random random = new Random(seed);
        RawHttp http = new RawHttp("127.0.0.1", 60_000);
        int port = node.gatewayPort();

        List<Fixture> fixtures = new ArrayList<>();
        for (MappedRoute route : MappedRoutes.of(node.serviceContexts())) {
            Fixture fixture = RouteFixtures.all().get(route.key());
            if (fixture != null) {
                fixtures.add(fixture);
            }
        }
        Map<String, Integer> sent = new TreeMap<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int failureCount = 0;

        // Every fixture once as written, then mutations round the routes until the time is up or the requests are
        // sent.
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long requests = 0;
        for (long round = 0; round == 0 || (System.nanoTime() < deadline && requests < maxRequests); round++) {
            for (Fixture fixture : fixtures) {
                if (round > 0 && (System.nanoTime() >= deadline || requests >= maxRequests)) {
                    break;
                }
                requests++;
                Mutated request = round == 0 ? Mutations.unchanged(fixture, world)
                        : Mutations.mutate(fixture, world, random);
                sent.merge(fixture.route(), 1, Integer::sum);
                String problem;
                try {
                    RawHttp.Answer answer = http.send(port, request.call());
                    statuses.merge(answer.status(), 1, Integer::sum);
                    problem = problemWith(request.call(), answer);
                } catch (RawHttp.NoAnswer e) {
                    problem = "no answer: " + e.getMessage();
                }
                if (problem != null) {
                    failureCount++;
                    if (failures.size() < MAX_REPORTED_FAILURES) {
                        failures.add(fixture.route() + " [" + request.mutation() + "] "
                                + request.call().method() + " " + shorten(request.call().targetText(), 200)
                                + " -> " + problem);
                    }
                }
            }
        }

        int total = sent.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(Locale.ROOT, "Route fuzzing: seed %d, %d requests sent over %d routes on %s, "
                + "%d failing, statuses %s%n", seed, total, sent.size(), postgres == null ? "H2" : "PostgreSQL",
                failureCount, statuses);
        sent.forEach((route, count) -> System.out.printf(Locale.ROOT, "  %6d  %s%n", count, route));
        assertThat(failures).as("%d failing answers of %d requests (seed %d); the first ones", failureCount, total,
                seed).isEmpty();

        assertThat(ordinaryReads()).as("the ordinary reads after the pass").isEqualTo(readsBefore);
    }

    /** What is wrong with an answer, or null. */
    private static String problemWith(RawHttp.Call call, RawHttp.Answer answer) {
        int status = answer.status();
        if (status >= 500) {
            JsonNode error = errorOf(answer);
            // A decision the envelope-service has not made in time is the documented, retryable answer of a busy
            // node, not a failure: the request is still processed.
            if (status == 503 && error != null && "DECISION_PENDING".equals(error.path("code").asString(""))) {
                return null;
            }
            return status + " " + shorten(answer.text(), 400);
        }
        if (status < 400 || call.method().equals("HEAD")) {
            return null;
        }
        JsonNode error = errorOf(answer);
        if (error == null) {
            return status + " without the protocol error body: " + shorten(answer.text(), 300);
        }
        Set<String> members = new TreeSet<>();
        error.propertyNames().forEach(members::add);
        if (!members.equals(ERROR_MEMBERS) || !error.get("code").isString()) {
            return status + " with a malformed error body: " + shorten(answer.text(), 300);
        }
        return null;
    }

    private static JsonNode errorOf(RawHttp.Answer answer) {
        try {
            JsonNode body = LoomJson.parse(answer.body());
            JsonNode error = body.get("error");
            return error != null && error.isObject() ? error : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The reads an ordinary user and the operator rely on, reduced to what must not change: the conversation's
     * thread in the list, its render, a search hit, the identity, the mailbox labels and the admin status.
     */
    private static Map<String, Object> ordinaryReads() {
        String token = world.aliceToken();
        String thread = world.mainThreadId();
        Map<String, Object> reads = new LinkedHashMap<>();

        JsonNode threads = client.get("/v1/threads?limit=200", token).expect(200);
        reads.put("thread list has the conversation", threads.get("threads").valueStream()
                .anyMatch(summary -> thread.equals(summary.get("id").stringValue())));
        JsonNode summary = client.get("/v1/threads/" + thread, token).expect(200);
        reads.put("thread participants", summary.get("participants").size());
        reads.put("thread state", summary.get("state").stringValue());
        JsonNode render = client.get("/v1/threads/" + thread + "/envelopes", token).expect(200);
        reads.put("thread render", NodeClient.envelopeIds(render));
        reads.put("thread texts", render.get("envelopes").valueStream()
                .map(envelope -> envelope.at("/content/human/text").stringValue()).toList());
        JsonNode search = client.get("/v1/search?q=quartz", token).expect(200);
        reads.put("search", search.get("results").valueStream()
                .map(result -> result.get("thread_id").stringValue()).toList());
        JsonNode identity = client.get(NodeClient.identityPath(world.alice().identity()), null).expect(200);
        reads.put("identity", identity.get("id").stringValue() + " " + identity.get("signing_keys").size());
        JsonNode mailbox = client.get("/v1/mailbox/threads/" + thread, token).expect(200);
        reads.put("mailbox labels", mailbox.get("labels").toString());
        NodeAnswer status = client.get("/v1/admin/status", null);
        NodeAnswer adminStatus = client.send(client.request("/v1/admin/status", null,
                Map.of("x-loom-admin-token", ADMIN_TOKEN)).GET());
        reads.put("admin status without token", status.status());
        reads.put("admin status", adminStatus.status());
        return reads;
    }

    private static JsonNode tokens(TestIdentity identity) {
        ObjectNode ask = LoomJson.mapper().createObjectNode().put("identity", identity.identity())
                .put("key_id", identity.keyId());
        JsonNode challenge = client.post("/v1/auth/challenge", null, ask).expect(200);
        ObjectNode proof = ask.deepCopy()
                .put("challenge_id", challenge.get("challenge_id").stringValue())
                .put("signature", identity.key().sign(challenge.get("nonce").stringValue()).base64Url());
        return client.post("/v1/auth/token", null, proof).expect(200);
    }

    private static String shorten(String text, int max) {
        String visible = text.replaceAll("[\\p{Cntrl}&&[^\n]]", "?");
        return visible.length() <= max ? visible : visible.substring(0, max) + "…(" + text.length() + " chars)";
    }
}
