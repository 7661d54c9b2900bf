package org.loom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void matchesTheFipsExamples() {
        assertThat(Sha256.hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256.hex(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void hashesTheReferenceFederationBody() {
        String body = "{\"loom\":\"1.1\",\"sender_node\":\"remote.test\","
                + "\"delivery_id\":\"fdel_01ARZ3NDEKTSV4RRFFQ69G5FAV\","
                + "\"timestamp\":\"2026-02-16T21:10:00.000Z\",\"envelopes\":[]}";
        assertThat(Sha256.hex(body)).isEqualTo("bcd227818c2b9057f38a77d1b8a5b0ee505288c518833eb1442341f7fe4490f1");
    }

    @Test
    void hexIsTheLowercaseDigestOfTheUtf8Bytes() {
        String text = "é ✓";
        byte[] digest = Sha256.digest(text.getBytes(StandardCharsets.UTF_8));
        assertThat(digest).hasSize(32);
        assertThat(Sha256.hex(text)).isEqualTo(HexFormat.of().formatHex(digest)).isLowerCase();
    }
}
