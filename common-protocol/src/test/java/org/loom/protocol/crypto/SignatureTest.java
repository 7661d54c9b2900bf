package org.loom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class SignatureTest {

    private static final String TEXT =
            "rBQp_Fg2TbXqHcDlfWxWvBitjqPM6m3N_L2s8mSNxNnz_OTs3Xg0rgrC8-NLjzw2Ph8Rahn5vZz2YIy6r3pVDw";

    @Test
    void readsBase64UrlAndWritesItBack() {
        Signature signature = Signature.fromBase64Url(TEXT);
        assertThat(signature.toBytes()).hasSize(64);
        assertThat(signature.base64Url()).isEqualTo(TEXT);
    }

    @Test
    void readsTheSameSignatureFromStandardBase64WithPadding() {
        byte[] bytes = Signature.fromBase64Url(TEXT).toBytes();
        String standard = Base64.getEncoder().encodeToString(bytes);
        assertThat(standard).endsWith("==").containsAnyOf("+", "/");
        assertThat(Signature.fromBase64Url(standard)).isEqualTo(Signature.fromBase64Url(TEXT));
    }

    @Test
    void refusesTextThatDoesNotHoldSixtyFourBytes() {
        assertThatThrownBy(() -> Signature.fromBase64Url(TEXT.substring(4)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signature.fromBase64Url(TEXT + "AAAA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signature.fromBase64Url("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signature.fromBase64Url("not base64!")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tryParseIsEmptyForAnythingThatIsNotASignature() {
        assertThat(Signature.tryParse(TEXT)).contains(Signature.fromBase64Url(TEXT));
        assertThat(Signature.tryParse(null)).isEmpty();
        assertThat(Signature.tryParse("abc")).isEmpty();
        assertThat(Signature.tryParse(TEXT + "!")).isEmpty();
    }

    @Test
    void isImmutable() {
        Signature signature = Signature.fromBase64Url(TEXT);
        byte[] copy = signature.toBytes();
        copy[0] ^= 1;
        assertThat(signature.base64Url()).isEqualTo(TEXT);
        assertThat(signature).isNotEqualTo(Signature.fromBytes(copy));
        assertThat(signature.hashCode()).isEqualTo(Signature.fromBase64Url(TEXT).hashCode());
    }
}
