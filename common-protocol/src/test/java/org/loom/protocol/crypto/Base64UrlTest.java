package org.loom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64UrlTest {

    private static final byte[] BYTES = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, 0x00, 0x10};

    @Test
    void encodesWithTheUrlAlphabetAndNoPadding() {
        assertThat(Base64.getEncoder().encodeToString(BYTES)).isEqualTo("+/+/ABA=");
        assertThat(Base64Url.encode(BYTES)).isEqualTo("-_-_ABA");
        assertThat(Base64Url.encode(new byte[0])).isEmpty();
    }

    @Test
    void strictDecodingAcceptsTheCanonicalFormWithOrWithoutPadding() {
        assertThat(Base64Url.decode("-_-_ABA")).isEqualTo(BYTES);
        assertThat(Base64Url.decode("-_-_ABA=")).isEqualTo(BYTES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+/+/ABA", "-_-_AB", "-_-_ABB", "-_-_A", "-_-_ ABA", "-_-_ABA==", "-_=-_ABA", "é"})
    void strictDecodingRejectsEverythingElse(String text) {
        assertThatThrownBy(() -> Base64Url.decode(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lenientDecodingAcceptsEitherAlphabetAndPadding() {
        assertThat(Base64Url.decodeLenient("+/+/ABA=")).isEqualTo(BYTES);
        assertThat(Base64Url.decodeLenient("-_-_ABA")).isEqualTo(BYTES);
        assertThat(Base64Url.decodeLenient("+_-/ABA==")).isEqualTo(BYTES);
    }

    @Test
    void lenientDecodingDropsBitsThatDoNotMakeAByte() {
        assertThat(Base64Url.decodeLenient("-_-_ABB")).isEqualTo(BYTES);
        assertThat(Base64Url.decodeLenient("AAAAx")).isEqualTo(new byte[3]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-_-_ ABA", "-_=-_ABA", "-_-_AB.A", "-_-_ABA\n"})
    void lenientDecodingRejectsCharactersOfNeitherAlphabet(String text) {
        assertThatThrownBy(() -> Base64Url.decodeLenient(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
