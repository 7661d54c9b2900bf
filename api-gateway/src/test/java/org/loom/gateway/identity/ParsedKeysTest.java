package org.loom.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.InvalidKeyException;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.crypto.VerifyingKey;

class ParsedKeysTest {

    @Test
    void aPemReadTwiceGivesTheSameKeyObject() {
        ParsedKeys keys = new ParsedKeys(4);
        String pem = SigningKey.generate().verifyingKey().toSpkiPem();

        VerifyingKey first = keys.fromSpkiPem(pem);

        assertThat(keys.fromSpkiPem(pem)).isSameAs(first).isEqualTo(VerifyingKey.fromSpkiPem(pem));
    }

    @Test
    void theLeastRecentlyUsedKeyMakesRoomWhenFull() {
        ParsedKeys keys = new ParsedKeys(2);
        String a = SigningKey.generate().verifyingKey().toSpkiPem();
        String b = SigningKey.generate().verifyingKey().toSpkiPem();
        String c = SigningKey.generate().verifyingKey().toSpkiPem();
        VerifyingKey keptA = keys.fromSpkiPem(a);
        keys.fromSpkiPem(b);
        keys.fromSpkiPem(a);

        keys.fromSpkiPem(c);

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.fromSpkiPem(a)).isSameAs(keptA);
    }

    @Test
    void anUnreadablePemIsRefusedAndNotRemembered() {
        ParsedKeys keys = new ParsedKeys(2);

        assertThatThrownBy(() -> keys.fromSpkiPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
                .isInstanceOf(InvalidKeyException.class);
        assertThat(keys.size()).isZero();
    }
}
