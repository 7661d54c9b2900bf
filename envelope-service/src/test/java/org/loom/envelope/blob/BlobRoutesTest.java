package org.loom.envelope.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.loom.envelope.CommandDrivenTest;
import org.loom.envelope.TestEnvelopes;
import org.loom.protocol.crypto.Sha256;
import org.loom.protocol.json.LoomJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The blob routes over real HTTP, with the filesystem store and threads made through the write path. */
class BlobRoutesTest extends CommandDrivenTest {

    private static final String ALICE = "loom://alice@node.test";
    private static final String BOB = "loom://bob@node.test";
    private static final String CAROL = "loom://carol@node.test";
    private static final String EVE = "loom://eve@node.test";

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void partsUploadedOutOfOrderAreJoinedInPartOrderAndHashed() throws Exception {
        String id = create(ALICE, "{\"filename\":\"notes.txt\",\"mime_type\":\"text/plain\"}");
        assertThat(send("PUT", "/v1/blobs/" + id + "/parts/2", ALICE, part("world")).statusCode()).isEqualTo(200);
        HttpResponse<String> first = send("PUT", "/v1/blobs/" + id + "/parts/1", ALICE, part("hello "));
        assertThat(LoomJson.parse(first.body()).get("status").stringValue()).isEqualTo("part_uploaded");

        HttpResponse<String> completed = send("POST", "/v1/blobs/" + id + "/complete", ALICE, "");
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        JsonNode done = LoomJson.parse(completed.body());
        assertThat(done.get("size_bytes").asLong()).isEqualTo(11);
        assertThat(done.get("hash").stringValue()).isEqualTo("sha256:" + Sha256.hex("hello world"));

        JsonNode blob = LoomJson.parse(send("GET", "/v1/blobs/" + id, ALICE, null).body());
        assertThat(blob.get("status").stringValue()).isEqualTo("complete");
        assertThat(blob.get("filename").stringValue()).isEqualTo("notes.txt");
        assertThat(blob.get("mime_type").stringValue()).isEqualTo("text/plain");
        assertThat(new String(Base64.getDecoder().decode(blob.get("data_base64").stringValue()),
                StandardCharsets.UTF_8)).isEqualTo("hello world");
        // The assembled content is kept; the parts it was made of are not.
        try (Stream<java.nio.file.Path> files = Files.list(BLOB_DIRECTORY.resolve(id))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("content");
        }
    }

    @Test
    void pendingBlobHasNoDataAndCompletedBlobRefusesMoreParts() throws Exception {
        String id = create(ALICE, "{}");
        JsonNode pending = LoomJson.parse(send("GET", "/v1/blobs/" + id, ALICE, null).body());
        assertThat(pending.get("data_base64").isNull()).isTrue();
        assertThat(pending.get("mime_type").stringValue()).isEqualTo("application/octet-stream");
        assertError(send("POST", "/v1/blobs/" + id + "/complete", ALICE, ""), 400, "ENVELOPE_INVALID");

        send("PUT", "/v1/blobs/" + id + "/parts/1", ALICE, part("x"));
        send("POST", "/v1/blobs/" + id + "/complete", ALICE, "");
        assertError(send("PUT", "/v1/blobs/" + id + "/parts/2", ALICE, part("y")), 409,
                "STATE_TRANSITION_INVALID");
        assertThat(send("POST", "/v1/blobs/" + id + "/complete", ALICE, "").statusCode()).isEqualTo(200);
    }

    @Test
    void blobIsReadableByParticipantsOfItsThreadAndOfThreadsAttachingIt() throws Exception {
        String threadId = TestEnvelopes.newThreadId();
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, t0, BOB), ALICE);
        String id = create(ALICE, "{\"thread_id\":\"" + threadId + "\"}");
        // Bob is a participant of the blob's thread: he may add parts and read.
        assertThat(send("PUT", "/v1/blobs/" + id + "/parts/1", BOB, part("shared")).statusCode()).isEqualTo(200);
        send("POST", "/v1/blobs/" + id + "/complete", BOB, "");
        assertThat(send("GET", "/v1/blobs/" + id, BOB, null).statusCode()).isEqualTo(200);
        assertError(send("GET", "/v1/blobs/" + id, CAROL, null), 403, "CAPABILITY_DENIED");

        // Carol reads it once a thread she is in carries an envelope attaching it.
        ObjectNode attaching = envelopes.message(TestEnvelopes.newEnvelopeId(), TestEnvelopes.newThreadId(), null,
                BOB, t0, CAROL);
        attaching.remove("signature");
        attaching.putArray("attachments").addObject()
                .put("id", "att_" + id.substring("blob_".length()))
                .put("blob_id", id)
                .put("hash", "sha256:" + Sha256.hex("shared"))
                .put("filename", "shared.txt");
        submit(envelopes.sign(attaching, BOB), BOB);
        assertThat(send("GET", "/v1/blobs/" + id, CAROL, null).statusCode()).isEqualTo(200);
        assertError(send("GET", "/v1/blobs/" + id, EVE, null), 403, "CAPABILITY_DENIED");
        assertError(send("PUT", "/v1/blobs/" + id + "/parts/2", EVE, part("z")), 403, "CAPABILITY_DENIED");
    }

    @Test
    void creatingABlobForAThreadNeedsTheThreadAndAnActiveParticipant() throws Exception {
        assertError(send("POST", "/v1/blobs", ALICE, "{\"thread_id\":\"" + TestEnvelopes.newThreadId() + "\"}"),
                404, "THREAD_NOT_FOUND");
        String threadId = TestEnvelopes.newThreadId();
        submit(envelopes.message(TestEnvelopes.newEnvelopeId(), threadId, null, ALICE, t0, BOB), ALICE);
        assertError(send("POST", "/v1/blobs", EVE, "{\"thread_id\":\"" + threadId + "\"}"), 403,
                "CAPABILITY_DENIED");
    }

    @Test
    void sizeLimitsAreReportedAsPayloadTooLarge() throws Exception {
        assertError(send("POST", "/v1/blobs", ALICE, "{\"size_bytes\":5000}"), 413, "PAYLOAD_TOO_LARGE");
        String id = create(ALICE, "{}");
        byte[] big = new byte[3000];
        assertThat(send("PUT", "/v1/blobs/" + id + "/parts/1", ALICE, part(big)).statusCode()).isEqualTo(200);
        HttpResponse<String> over = send("PUT", "/v1/blobs/" + id + "/parts/2", ALICE, part(big));
        assertError(over, 413, "PAYLOAD_TOO_LARGE");
        assertThat(LoomJson.parse(over.body()).at("/error/details/max_blob_bytes").asLong()).isEqualTo(4096);
        // Replacing a part counts the new bytes instead of the old ones.
        assertThat(send("PUT", "/v1/blobs/" + id + "/parts/1", ALICE, part(new byte[4000])).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aMimeTypeLongerThanItsColumnIsAClientError() throws Exception {
        String tooLong = "{\"mime_type\":\"text/" + "x".repeat(300) + "\"}";

        HttpResponse<String> refused = send("POST", "/v1/blobs", ALICE, tooLong);

        assertError(refused, 400, "ENVELOPE_INVALID");
        assertThat(LoomJson.parse(refused.body()).at("/error/details/field").stringValue()).isEqualTo("mime_type");
        assertThat(create(ALICE, "{\"mime_type\":\"text/" + "x".repeat(250) + "\"}")).startsWith("blob_");
    }

    @Test
    void badIdsPartNumbersAndDataAreClientErrors() throws Exception {
        String id = create(ALICE, "{}");
        assertError(send("GET", "/v1/blobs/..%2F..%2Fetc", ALICE, null), 404, "ENVELOPE_NOT_FOUND");
        assertError(send("GET", "/v1/blobs/blob_..", ALICE, null), 404, "ENVELOPE_NOT_FOUND");
        assertError(send("GET", "/v1/blobs/blob_01ARZ3NDEKTSV4RRFFQ69G5FAV", ALICE, null), 404,
                "ENVELOPE_NOT_FOUND");
        assertError(send("PUT", "/v1/blobs/" + id + "/parts/0", ALICE, part("a")), 400, "ENVELOPE_INVALID");
        assertError(send("PUT", "/v1/blobs/" + id + "/parts/abc", ALICE, part("a")), 400, "ENVELOPE_INVALID");
        assertError(send("PUT", "/v1/blobs/" + id + "/parts/10001", ALICE, part("a")), 400, "ENVELOPE_INVALID");
        assertError(send("PUT", "/v1/blobs/" + id + "/parts/1", ALICE, "{}"), 400, "ENVELOPE_INVALID");
        assertError(send("PUT", "/v1/blobs/" + id + "/parts/1", ALICE, "{\"data_base64\":\"a===b\"}"), 400,
                "ENVELOPE_INVALID");
        assertError(send("POST", "/v1/blobs", ALICE, "[]"), 400, "ENVELOPE_INVALID");
        assertError(send("POST", "/v1/blobs", ALICE, "{\"size_bytes\":\"big\"}"), 400, "ENVELOPE_INVALID");
        assertError(send("POST", "/v1/blobs", null, "{}"), 401, "SIGNATURE_INVALID");
    }

    private String create(String actor, String body) throws Exception {
        HttpResponse<String> response = send("POST", "/v1/blobs", actor, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode created = LoomJson.parse(response.body());
        assertThat(created.get("status").stringValue()).isEqualTo("pending");
        return created.get("blob_id").stringValue();
    }

    private static String part(String text) {
        return part(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String part(byte[] data) {
        return "{\"data_base64\":\"" + Base64.getEncoder().encodeToString(data) + "\"}";
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(LoomJson.parse(response.body()).at("/error/code").stringValue()).isEqualTo(code);
    }
}
