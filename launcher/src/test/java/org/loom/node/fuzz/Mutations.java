package org.loom.node.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

import org.loom.node.fuzz.RouteFixtures.Auth;
import org.loom.node.fuzz.RouteFixtures.Fixture;
import org.loom.node.fuzz.RouteFixtures.Request;
import org.loom.protocol.json.LoomJson;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a fixture's well-formed request into a hostile one. Each mutation changes one thing (the body's syntax, a
 * member's type, a path segment's encoding, a header) so that an answer that goes wrong points at what caused it.
 * Everything random comes from the one {@link Random} passed in, so a seed replays a run's requests.
 */
final class Mutations {

    /** A request on the wire, with what was done to it. */
    record Mutated(String mutation, RawHttp.Call call) {
    }

    /** The same text every time a placeholder is swapped for raw bytes after serialisation. */
    private static final String PLACEHOLDER = "\u0001fuzz-placeholder\u0001";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE",
        "PROPFIND", "G\u00c9T"};

    private record Mutation(String name, BiFunction<Draft, Random, String> apply) {
    }

    private static final List<Mutation> ALL = List.of(
            new Mutation("none", (d, r) -> ""),
            new Mutation("malformed-json", Mutations::malformedJson),
            new Mutation("wrong-type", Mutations::wrongType),
            new Mutation("missing-member", Mutations::missingMember),
            new Mutation("extra-members", Mutations::extraMembers),
            new Mutation("huge-string", Mutations::hugeString),
            new Mutation("huge-number", Mutations::hugeNumber),
            new Mutation("deep-nesting", Mutations::deepNesting),
            new Mutation("invalid-utf8-body", Mutations::invalidUtf8Body),
            new Mutation("unicode-edge-body", Mutations::unicodeEdgeBody),
            new Mutation("bad-path-segment", Mutations::badPathSegment),
            new Mutation("bad-query", Mutations::badQuery),
            new Mutation("content-type", Mutations::contentType),
            new Mutation("authorization", Mutations::authorization),
            new Mutation("idempotency-key", Mutations::idempotencyKey),
            new Mutation("odd-header", Mutations::oddHeader),
            new Mutation("content-length", Mutations::contentLength),
            new Mutation("method", Mutations::method),
            new Mutation("empty-body", (d, r) -> {
                d.body = new byte[0];
                return "";
            }),
            new Mutation("body-is-not-an-object", Mutations::notAnObject),
            new Mutation("nul-in-strings-and-keys", Mutations::nulInStringsAndKeys),
            new Mutation("lone-surrogate", Mutations::loneSurrogate),
            new Mutation("duplicate-key", Mutations::duplicateKey),
            new Mutation("type-swap", Mutations::typeSwap),
            new Mutation("escaped-separator", Mutations::escapedSeparator),
            new Mutation("long-headers", Mutations::longHeaders));

    private Mutations() {
    }

    /** How many kinds of mutation there are, for reporting. */
    static List<String> names() {
        return ALL.stream().map(Mutation::name).toList();
    }

    /** The fixture's request, unchanged, as sent on the wire. */
    static Mutated unchanged(Fixture fixture, FuzzWorld world) {
        return new Mutated("none", draft(fixture, world).toCall());
    }

    /** One to three mutations of a fresh request of the fixture, chosen by {@code random}. */
    static Mutated mutate(Fixture fixture, FuzzWorld world, Random random) {
        Draft draft = draft(fixture, world);
        int count = random.nextInt(10) < 7 ? 1 : 2 + random.nextInt(2);
        List<String> applied = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Mutation mutation = ALL.get(random.nextInt(ALL.size()));
            String detail = mutation.apply().apply(draft, random);
            applied.add(detail.isEmpty() ? mutation.name() : mutation.name() + "(" + detail + ")");
        }
        return new Mutated(String.join(" + ", applied), draft.toCall());
    }

    private static Draft draft(Fixture fixture, FuzzWorld world) {
        Request request = fixture.request().apply(world);
        Draft draft = new Draft();
        draft.method = request.method();
        draft.segments = new ArrayList<>(Arrays.asList(request.path().substring(1).split("/", -1)));
        String[] patternSegments = fixture.pattern().substring(1).split("/", -1);
        for (int i = 0; i < patternSegments.length && i < draft.segments.size(); i++) {
            if (patternSegments[i].startsWith("{")) {
                draft.variables.add(i);
            }
        }
        request.query().forEach(pair -> draft.query.add(new String[] {encode(pair[0]), encode(pair[1])}));
        if (fixture.auth() == Auth.BEARER) {
            draft.headers.add(new String[] {"Authorization", "Bearer " + world.fuzzerToken()});
        } else if (fixture.auth() == Auth.ADMIN) {
            draft.headers.add(new String[] {"x-loom-admin-token", world.adminToken()});
        }
        draft.headers.addAll(request.headers());
        draft.body = request.body();
        return draft;
    }

    /** The request being mutated, in wire terms. */
    private static final class Draft {
        String method;
        List<String> segments = new ArrayList<>();
        List<Integer> variables = new ArrayList<>();
        List<String[]> query = new ArrayList<>();
        List<String[]> headers = new ArrayList<>();
        byte[] body;
        Long contentLength;

        JsonNode json() {
            try {
                return body.length == 0 ? null : LoomJson.parse(body);
            } catch (RuntimeException e) {
                return null;
            }
        }

        void setHeader(String name, String value) {
            headers.removeIf(header -> header[0].equalsIgnoreCase(name));
            if (value != null) {
                headers.add(new String[] {name, value});
            }
        }

        RawHttp.Call toCall() {
            StringBuilder target = new StringBuilder();
            for (String segment : segments) {
                target.append('/').append(segment);
            }
            for (int i = 0; i < query.size(); i++) {
                target.append(i == 0 ? '?' : '&').append(query.get(i)[0]).append('=').append(query.get(i)[1]);
            }
            return new RawHttp.Call(method, target.toString().getBytes(StandardCharsets.ISO_8859_1),
                    List.copyOf(headers), body, contentLength);
        }
    }

    // Body syntax and shape.

    private static String malformedJson(Draft draft, Random random) {
        String text = draft.body.length == 0 ? "{\"a\":1}" : new String(draft.body, StandardCharsets.UTF_8);
        String[] broken = {
            text.substring(0, random.nextInt(Math.max(1, text.length()))),
            text + "}",
            text.replaceFirst(":", ""),
            text.replaceFirst("\"", "'"),
            "{", "[", "{\"a\":}", "{\"a\" 1}", "{,}", "nul", "tru", "\"unterminated", "{\"a\":1,}", "[1,2,]",
            "{\"a\":01}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1}{\"b\":2}", "{\"a\":1} trailing",
            "/* comment */ {}", "\ufeff{}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{\"\\ud800\":1}",
            "{\"a\":1,\"a\":2}",
        };
        String chosen = broken[random.nextInt(broken.length)];
        draft.body = chosen.getBytes(StandardCharsets.UTF_8);
        return shorten(chosen);
    }

    private static String wrongType(Draft draft, Random random) {
        JsonNode root = draft.json();
        if (root == null || !root.isContainer() || root.isEmpty()) {
            return malformedJson(draft, random);
        }
        Slot slot = pick(root, random);
        JsonNode[] values = {NODES.nullNode(), NODES.booleanNode(true), NODES.numberNode(0), NODES.numberNode(-1),
            NODES.numberNode(1.5), NODES.stringNode(""), NODES.stringNode("x"), NODES.arrayNode(),
            NODES.arrayNode().add("x").add(1), NODES.objectNode(), NODES.objectNode().put("x", 1)};
        JsonNode value = values[random.nextInt(values.length)];
        slot.set(value);
        draft.body = LoomJson.writeBytes(root);
        return slot.name() + "=" + value;
    }

    private static String missingMember(Draft draft, Random random) {
        JsonNode root = draft.json();
        if (root == null || !root.isContainer() || root.isEmpty()) {
            return "";
        }
        Slot slot = pick(root, random);
        slot.remove();
        draft.body = LoomJson.writeBytes(root);
        return slot.name();
    }

    private static String extraMembers(Draft draft, Random random) {
        JsonNode root = draft.json();
        ObjectNode target = root instanceof ObjectNode object ? object : NODES.objectNode();
        int count = 1 + random.nextInt(random.nextInt(10) == 0 ? 5000 : 4);
        for (int i = 0; i < count; i++) {
            String[] names = {"__proto__", "constructor", "x" + i, "", "\u0000", "id", "loom", "$where",
                "a".repeat(1 + random.nextInt(300))};
            target.set(names[random.nextInt(names.length)] + (count > 10 ? i : ""), randomScalar(random));
        }
        draft.body = LoomJson.writeBytes(target);
        return count + " member(s)";
    }

    private static String hugeString(Draft draft, Random random) {
        // Mostly under the body limit so the route's own code sees it; sometimes over, for the limit itself.
        int length = random.nextInt(4) == 0 ? 2_200_000 : 1_000 + random.nextInt(600_000);
        String huge = "\u00e9x".repeat(length / 2);
        return replaceScalar(draft, random, NODES.stringNode(huge), "string of " + length);
    }

    private static String hugeNumber(Draft draft, Random random) {
        String[] numbers = {"1e400", "-1e400", "1e-400", "123456789012345678901234567890123456789",
            "-9223372036854775809", "9223372036854775808", "2147483648", "-0", "0.0000000000000000000001",
            "1" + "0".repeat(5000), "1.5e9999999999", "1" + "0".repeat(99), "-" + "9".repeat(100),
            "1E+400", "-1e-400", "0e99999", "1" + "0".repeat(99) + ".5", "4.9e-325", "1.7976931348623159e308"};
        String number = numbers[random.nextInt(numbers.length)];
        return replaceRaw(draft, random, number, number.length() > 40 ? number.length() + " digits" : number);
    }

    private static String deepNesting(Draft draft, Random random) {
        int depth = new int[] {100, 1_000, 5_000, 100_000}[random.nextInt(4)];
        boolean arrays = random.nextBoolean();
        String nested = (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
        return replaceRaw(draft, random, nested, depth + (arrays ? " arrays" : " objects"));
    }

    private static String invalidUtf8Body(Draft draft, Random random) {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0,
            (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}};
        byte[] chosen = bad[random.nextInt(bad.length)];
        JsonNode root = draft.json();
        if (root == null || !root.isContainer() || root.isEmpty()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("{\"text\":\"".getBytes(StandardCharsets.UTF_8));
            out.writeBytes(chosen);
            out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
            draft.body = out.toByteArray();
            return hex(chosen);
        }
        pick(root, random).set(NODES.stringNode(PLACEHOLDER));
        draft.body = swapPlaceholder(LoomJson.writeBytes(root), chosen, true);
        return hex(chosen);
    }

    private static String unicodeEdgeBody(Draft draft, Random random) {
        // Escapes are written as JSON text: a lone surrogate cannot be carried by a Java string into UTF-8 at all.
        String[] edges = {"\\u0000", "a\\u0000b", "\\ud800", "\\udfff", "x\\ud800y", "\\ud83d\\ude00",
            "\\u202eevil", "e\\u0301\\u0301\\u0301", "\\u200b", "\\ufeff", "\\uffff", "\\u0085", "\\u2028\\u2029",
            "\\u00ad", "\u05e9\u05dc\u05d5\u05dd", "\u202e\u0627\u0644", "\ud83d\udc68\u200d\ud83d\udc69",
            "Z\u0351\u0352\u0353\u0354\u0355".repeat(50), "loom://a\\u0000@x.test", "../../etc/passwd"};
        String edge = edges[random.nextInt(edges.length)];
        JsonNode root = draft.json();
        if (root == null || !root.isContainer() || root.isEmpty()) {
            draft.body = ("{\"text\":\"" + edge + "\"}").getBytes(StandardCharsets.UTF_8);
            return shorten(edge);
        }
        Slot slot = pick(root, random);
        slot.set(NODES.stringNode(PLACEHOLDER));
        draft.body = swapPlaceholder(LoomJson.writeBytes(root), edge.getBytes(StandardCharsets.UTF_8), true);
        return slot.name() + "=" + shorten(edge);
    }

    private static String notAnObject(Draft draft, Random random) {
        String[] documents = {"[]", "null", "0", "\"text\"", "true", "[{}]", " ", "\r\n"};
        String chosen = documents[random.nextInt(documents.length)];
        draft.body = chosen.getBytes(StandardCharsets.UTF_8);
        return chosen.strip();
    }

    // Path and query.

    private static final String[] BAD_SEGMENTS = {"%", "%z", "%zz", "%C3%28", "%FF", "%00", "%2F", "%2F..%2F..",
        "..", ".", "%2e%2e", "%25", "%u0041", "%E2%80%AE", "%F0%9F%98%80", "\u00c3\u0028", "\u00ff", "a b", "a\tb",
        "%0d%0aX-Injected:%201", "thr_", "thr_" + "Z".repeat(26), "thr_01ARZ3NDEKTSV4RRFFQ69G5FAV%00",
        "-1", "0", "99999999999999999999", "1e3", "null", "%7B%7D", "{}", "loom%3A%2F%2F", "%EF%BB%BF",
        "%2e%2e%2F", "%2F%2e%2e", "..%2F..%2F", ".%2e", "%2e", "%5C", "..%5C..%5C", "%252F", "%2f", "%2F%2F",
        "x%2Fy", "%2E%2E%2F%2E%2E%2Factuator", "%C0%AF", "%ED%A0%80", "%00%2F"};

    private static String badPathSegment(Draft draft, Random random) {
        String bad = random.nextInt(8) == 0 ? "a".repeat(5_000 + random.nextInt(20_000))
                : BAD_SEGMENTS[random.nextInt(BAD_SEGMENTS.length)];
        int index = draft.variables.isEmpty() ? random.nextInt(draft.segments.size())
                : draft.variables.get(random.nextInt(draft.variables.size()));
        if (random.nextInt(4) == 0) {
            draft.segments.set(index, draft.segments.get(index) + bad);
        } else {
            draft.segments.set(index, bad);
        }
        return "segment " + index + "=" + shorten(bad);
    }

    private static String badQuery(Draft draft, Random random) {
        String[] values = {"%", "%zz", "%C3%28", "%FF", "%00", "-1", "0", "abc", "1.5", "99999999999999999999",
            "2147483648", "", "%E2%80%AE", "null", "true", "[]", "1e9", "not-a-date", "9999-99-99T99:99:99Z",
            "thr_x", "a".repeat(10_000)};
        String value = values[random.nextInt(values.length)];
        if (!draft.query.isEmpty() && random.nextBoolean()) {
            String[] pair = draft.query.get(random.nextInt(draft.query.size()));
            pair[1] = value;
            return pair[0] + "=" + shorten(value);
        }
        String[] names = {"limit", "cursor", "q", "after", "before", "thread_id", "status", "kind", "role", "label",
            "from", "type", "%zz", "", "a[b]", "limit"};
        String name = names[random.nextInt(names.length)];
        draft.query.add(new String[] {name, value});
        if (random.nextInt(6) == 0) {
            draft.query.add(new String[] {name, values[random.nextInt(values.length)]});
        }
        return name + "=" + shorten(value);
    }

    // Headers.

    private static String contentType(Draft draft, Random random) {
        String[] types = {null, "", "application/xml", "text/plain", "application/json; charset=bogus",
            "application/json; charset=utf-16", "application/json; charset=iso-8859-1", "multipart/form-data",
            "multipart/form-data; boundary=", "application/x-www-form-urlencoded", "*/*", "application/",
            "message/rfc822", "application/json;;;", "\u00ff/\u00ff", "application/json, text/plain",
            "application/" + "x".repeat(10_000), "application/json; charset=\"utf-8\"", "application/json; charset=",
            "application/json; charset=utf-32", "application/json; charset=UTF-16BE",
            "application/json; charset=x-\u00ff",
            "text/json; charset=ebcdic", "application/json; charset=utf-8; charset=latin1", "application/json\u0001",
            "application/json; charset=" + "u".repeat(5_000), "application/json; boundary=--x", ";charset=utf-8",
            "application/json; charset=utf-8\u00ff", "application/merge-patch+json", "application/json; q=x"};
        String type = types[random.nextInt(types.length)];
        draft.setHeader("Content-Type", type);
        return shorten(String.valueOf(type));
    }

    private static String authorization(Draft draft, Random random) {
        String[] values = {null, "", "Bearer", "Bearer ", "Bearer at_unknown", "bearer at_x", "Basic YTpi",
            "Bearer " + "a".repeat(7_000), "Bearer \u00ff\u00fe", "Bearer at_' OR 1=1 --", "Bearer %00",
            "Bearer a b c", "Token abc", "Bearer\tx"};
        String value = values[random.nextInt(values.length)];
        if (random.nextInt(5) == 0) {
            draft.setHeader("x-loom-admin-token", random.nextBoolean() ? "wrong" : "\u00ff" + "x".repeat(500));
            return "x-loom-admin-token";
        }
        draft.setHeader("Authorization", value);
        return shorten(String.valueOf(value));
    }

    private static String idempotencyKey(Draft draft, Random random) {
        String[] keys = {"", " ", "k", "k".repeat(200), "k".repeat(201), "k".repeat(7_000), "\u00ff\u00fe",
            "\u00c3\u00a9t\u00c3\u00a9", "a\u0001b", "../../x", "key-" + random.nextInt(4)};
        String key = keys[random.nextInt(keys.length)];
        draft.setHeader("Idempotency-Key", key);
        return shorten(key);
    }

    private static String oddHeader(Draft draft, Random random) {
        List<Map.Entry<String, String>> headers = List.of(
                Map.entry("X-Huge", "h".repeat(9_000 + random.nextInt(60_000))),
                Map.entry("X-LOOM-Capability", "{\"not\":\"a token\""),
                Map.entry("X-LOOM-Capability", "cap_" + "0".repeat(26)),
                Map.entry("X-LOOM-Actor", "loom://admin@fuzz.test"),
                Map.entry("X-LOOM-Admin", "true"),
                Map.entry("X-LOOM-Request-Id", "\u00ff" + "r".repeat(300)),
                Map.entry("X-Forwarded-For", "not-an-address, 999.1.1.1, ::ffff:zz"),
                Map.entry("Forwarded", "for=\"[::1\";proto=http;by=\u00ff"),
                Map.entry("Accept", "application/xml"),
                Map.entry("Accept-Charset", "utf-7"),
                Map.entry("Accept-Encoding", "gzip;q=x, br;q=-1"),
                Map.entry("Transfer-Encoding", "gzip"),
                Map.entry("Expect", "100-continue"),
                Map.entry("Range", "bytes=999999999-"),
                Map.entry("Host", ""),
                Map.entry("Bad Header", "x"),
                Map.entry("X-Ctl", "a\u0001b\u007f"),
                Map.entry("x-loom-timestamp", "yesterday"),
                Map.entry("x-loom-signature", "\u00ff"));
        Map.Entry<String, String> header = headers.get(random.nextInt(headers.size()));
        draft.setHeader(header.getKey(), header.getValue());
        return header.getKey();
    }

    private static String contentLength(Draft draft, Random random) {
        long declared = switch (random.nextInt(4)) {
            case 0 -> Math.max(0, draft.body.length - 1 - random.nextInt(Math.max(1, draft.body.length)));
            case 1 -> draft.body.length + 1 + random.nextInt(100);
            case 2 -> 0;
            default -> -1;
        };
        draft.contentLength = declared;
        return declared < 0 ? "absent" : declared + " for " + draft.body.length;
    }

    private static String method(Draft draft, Random random) {
        draft.method = METHODS[random.nextInt(METHODS.length)];
        return draft.method;
    }

    // Added for values a database or a typed reader treats differently from H2 and Jackson trees.

    /** A NUL escape in a string value and in a key, where text reaches the database (PostgreSQL refuses NUL). */
    private static String nulInStringsAndKeys(Draft draft, Random random) {
        JsonNode root = draft.json();
        String[] values = {"\\u0000", "a\\u0000b", "loom://fuzzer\\u0000@fuzz.test", "\\u0000\\u0000",
            "thr_\\u0000"};
        String value = values[random.nextInt(values.length)];
        if (root == null || !root.isContainer() || root.isEmpty()) {
            draft.body = ("{\"text\":\"" + value + "\",\"k\\u0000\":1}").getBytes(StandardCharsets.UTF_8);
            return "body of its own";
        }
        Slot slot = pick(root, random);
        boolean inKey = random.nextInt(3) == 0 && slot.parent() instanceof ObjectNode;
        if (inKey) {
            ObjectNode parent = (ObjectNode) slot.parent();
            JsonNode moved = parent.remove(slot.field());
            parent.set(PLACEHOLDER, moved);
            byte[] key = (slot.field() + value).getBytes(StandardCharsets.UTF_8);
            draft.body = swapPlaceholder(LoomJson.writeBytes(root), key, true);
            return "key " + slot.name();
        }
        slot.set(NODES.stringNode(PLACEHOLDER));
        draft.body = swapPlaceholder(LoomJson.writeBytes(root), value.getBytes(StandardCharsets.UTF_8), true);
        return slot.name() + "=" + shorten(value);
    }

    /** An escaped lone high or low surrogate (or a reversed pair) in a value or a key. */
    private static String loneSurrogate(Draft draft, Random random) {
        String[] surrogates = {"\\ud800", "\\udbff", "\\udc00", "\\udfff", "x\\udc00\\ud800y",
            "\\ud83d", "\\ud83d\\u0041", "a\\ud800"};
        String surrogate = surrogates[random.nextInt(surrogates.length)];
        JsonNode root = draft.json();
        if (root == null || !root.isContainer() || root.isEmpty()) {
            draft.body = ("{\"" + surrogate + "\":\"" + surrogate + "\"}").getBytes(StandardCharsets.UTF_8);
            return shorten(surrogate);
        }
        Slot slot = pick(root, random);
        if (random.nextInt(3) == 0 && slot.parent() instanceof ObjectNode parent) {
            parent.set(PLACEHOLDER, parent.remove(slot.field()));
            draft.body = swapPlaceholder(LoomJson.writeBytes(root), surrogate.getBytes(StandardCharsets.UTF_8), true);
            return "key " + slot.name() + " -> " + shorten(surrogate);
        }
        slot.set(NODES.stringNode(PLACEHOLDER));
        draft.body = swapPlaceholder(LoomJson.writeBytes(root), surrogate.getBytes(StandardCharsets.UTF_8), true);
        return slot.name() + "=" + shorten(surrogate);
    }

    /** A member repeated in its object with another value, anywhere in the tree (a tree cannot hold this). */
    private static String duplicateKey(Draft draft, Random random) {
        JsonNode root = draft.json();
        List<Slot> members = new ArrayList<>();
        if (root != null) {
            collect(root, members);
        }
        members.removeIf(slot -> !(slot.parent() instanceof ObjectNode));
        if (members.isEmpty()) {
            draft.body = "{\"a\":1,\"a\":{\"b\":2}}".getBytes(StandardCharsets.UTF_8);
            return "a";
        }
        Slot slot = members.get(random.nextInt(members.size()));
        ObjectNode parent = (ObjectNode) slot.parent();
        JsonNode original = parent.get(slot.field());
        JsonNode other = random.nextBoolean() ? flipped(original, random) : original.deepCopy();
        parent.set(PLACEHOLDER, other);
        byte[] name = LoomJson.writeBytes(NODES.stringNode(slot.field()));
        // The placeholder key, quotes included, becomes the repeated member's name.
        draft.body = swapPlaceholder(LoomJson.writeBytes(root), name, false);
        return slot.name() + (other.equals(original) ? " (same value)" : "=" + shorten(other.toString()));
    }

    /** A string where an object, array, boolean or number stood, and any of those where a string stood. */
    private static String typeSwap(Draft draft, Random random) {
        JsonNode root = draft.json();
        if (root == null || !root.isContainer() || root.isEmpty()) {
            return wrongType(draft, random);
        }
        Slot slot = pick(root, random);
        JsonNode current = slot.parent() instanceof ObjectNode object ? object.get(slot.field())
                : slot.parent().get(slot.index());
        JsonNode value = flipped(current, random);
        slot.set(value);
        draft.body = LoomJson.writeBytes(root);
        return slot.name() + ": " + current.getNodeType() + " -> " + shorten(value.toString());
    }

    private static JsonNode flipped(JsonNode current, Random random) {
        if (current.isString()) {
            JsonNode[] others = {NODES.objectNode().put("value", current.stringValue()),
                NODES.arrayNode().add(current.stringValue()), NODES.booleanNode(random.nextBoolean()),
                NODES.numberNode(1), NODES.objectNode(), NODES.arrayNode().addObject().put("x", 1).put("y", "z"),
                NODES.arrayNode().addArray()};
            return others[random.nextInt(others.length)];
        }
        String[] texts = {"true", "false", "{}", "[]", "1", "null", "", current.toString()};
        return NODES.stringNode(texts[random.nextInt(texts.length)]);
    }

    /**
     * A path separator written escaped: two segments joined by {@code %2F} or {@code %5C} (so {@code /actuator/health}
     * becomes {@code /actuator%2Fhealth}), or an escaped dot segment put in front of one.
     */
    private static String escapedSeparator(Draft draft, Random random) {
        String[] separators = {"%2F", "%2f", "%5C", "%2F%2F", "%2F.%2F", "%2F%2e%2e%2F", "%252F"};
        String separator = separators[random.nextInt(separators.length)];
        if (draft.segments.size() >= 2 && random.nextInt(3) != 0) {
            int at = random.nextInt(draft.segments.size() - 1);
            String joined = draft.segments.get(at) + separator + draft.segments.get(at + 1);
            draft.segments.set(at, joined);
            draft.segments.remove(at + 1);
            draft.variables.clear();
            return "segments " + at + "," + (at + 1) + " joined by " + separator;
        }
        String[] dots = {"%2e%2e", "%2E%2E", ".%2e", "%2e.", "%2e", "..%2F", "%2e%2e%2F%2e%2e"};
        String dot = dots[random.nextInt(dots.length)];
        int at = random.nextInt(draft.segments.size() + 1);
        draft.segments.add(at, dot);
        draft.variables.clear();
        return dot + " at segment " + at;
    }

    /** A header far longer than a proxy would pass, hundreds of headers, or a long header name. */
    private static String longHeaders(Draft draft, Random random) {
        switch (random.nextInt(5)) {
            case 0 -> {
                int length = 8_000 + random.nextInt(250_000);
                draft.setHeader("X-Long", "v".repeat(length));
                return "one of " + length;
            }
            case 1 -> {
                int count = 100 + random.nextInt(900);
                for (int i = 0; i < count; i++) {
                    draft.headers.add(new String[] {"X-Many-" + i, "v" + i});
                }
                return count + " headers";
            }
            case 2 -> {
                int length = 1_000 + random.nextInt(20_000);
                draft.setHeader("X-" + "n".repeat(length), "v");
                return "name of " + length;
            }
            case 3 -> {
                String name = new String[] {"Authorization", "Content-Type", "Idempotency-Key", "x-loom-admin-token",
                    "X-LOOM-Capability", "Accept"}[random.nextInt(6)];
                int length = 4_000 + random.nextInt(60_000);
                draft.setHeader(name, "a".repeat(length));
                return name + " of " + length;
            }
            default -> {
                int count = 20 + random.nextInt(200);
                for (int i = 0; i < count; i++) {
                    draft.headers.add(new String[] {"Cookie", "c" + i + "=" + "x".repeat(200)});
                }
                return count + " Cookie headers";
            }
        }
    }

    // Helpers.

    /** A member or element of a JSON tree, anywhere in it. */
    private record Slot(JsonNode parent, String field, int index) {

        String name() {
            return field != null ? field : "[" + index + "]";
        }

        void set(JsonNode value) {
            if (parent instanceof ObjectNode object) {
                object.set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode object) {
                object.remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static Slot pick(JsonNode root, Random random) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        return slots.get(random.nextInt(slots.size()));
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            for (String name : object.propertyNames()) {
                slots.add(new Slot(object, name, -1));
                collect(object.get(name), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }

    private static String replaceScalar(Draft draft, Random random, JsonNode value, String label) {
        JsonNode root = draft.json();
        if (root == null || !root.isContainer() || root.isEmpty()) {
            draft.body = LoomJson.writeBytes(NODES.objectNode().set("value", value));
            return label;
        }
        Slot slot = pick(root, random);
        slot.set(value);
        draft.body = LoomJson.writeBytes(root);
        return slot.name() + ": " + label;
    }

    /** Puts JSON text that no tree can hold (a number beyond double, a nesting beyond the parser) in a member. */
    private static String replaceRaw(Draft draft, Random random, String rawJson, String label) {
        JsonNode root = draft.json();
        if (root == null || !root.isContainer() || root.isEmpty()) {
            draft.body = ("{\"value\":" + rawJson + "}").getBytes(StandardCharsets.UTF_8);
            return label;
        }
        Slot slot = pick(root, random);
        slot.set(NODES.stringNode(PLACEHOLDER));
        draft.body = swapPlaceholder(LoomJson.writeBytes(root), rawJson.getBytes(StandardCharsets.UTF_8), false);
        return slot.name() + ": " + label;
    }

    /** Replaces the placeholder string (quotes included unless {@code insideQuotes}) by raw bytes. */
    private static byte[] swapPlaceholder(byte[] json, byte[] replacement, boolean insideQuotes) {
        String text = new String(json, StandardCharsets.ISO_8859_1);
        String placeholder = new String(LoomJson.writeBytes(NODES.stringNode(PLACEHOLDER)),
                StandardCharsets.ISO_8859_1);
        if (insideQuotes) {
            placeholder = placeholder.substring(1, placeholder.length() - 1);
        }
        int at = text.indexOf(placeholder);
        if (at < 0) {
            return json;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(json, 0, at);
        out.writeBytes(replacement);
        int end = at + placeholder.length();
        out.write(json, end, json.length - end);
        return out.toByteArray();
    }

    private static JsonNode randomScalar(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.arrayNode().add(random.nextInt());
            default -> NODES.stringNode("v" + random.nextInt(1000));
        };
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02X", b & 0xFF));
        }
        return text.toString();
    }

    private static String shorten(String text) {
        String visible = text.replaceAll("\\p{Cntrl}", "?");
        return visible.length() <= 40 ? visible : visible.substring(0, 40) + "…(" + text.length() + ")";
    }
}
