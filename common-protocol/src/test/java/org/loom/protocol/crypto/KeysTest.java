package org.loom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loom.protocol.error.ErrorCode;
import org.loom.protocol.json.ReferenceVectors;

import tools.jackson.databind.JsonNode;

class KeysTest {

    /** REF §2.6: the key of seed 32 × 0x07. */
    static final String SEED_07_PUBLIC_RAW = "6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw";
    static final String SEED_07_PUBLIC_PEM = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=
            -----END PUBLIC KEY-----
            """;

    static SigningKey seed07() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        return SigningKey.fromSeed(seed);
    }

    @Test
    void seedOfSevensGivesTheDocumentedPublicKey() {
        VerifyingKey key = seed07().verifyingKey();
        assertThat(key.rawBase64Url()).isEqualTo(SEED_07_PUBLIC_RAW);
        assertThat(key.toSpkiPem()).isEqualTo(SEED_07_PUBLIC_PEM);
        assertThat(VerifyingKey.fromSpkiPem(SEED_07_PUBLIC_PEM)).isEqualTo(key);
        assertThat(VerifyingKey.fromRawBase64Url(SEED_07_PUBLIC_RAW)).isEqualTo(key);
    }

    @Test
    void vectorPrivateKeyPemGivesTheVectorPublicKey() {
        JsonNode vector = ReferenceVectors.load("envelope-signature-ed25519-v1.json").get("vector");
        String privatePem = vector.get("private_key_pem").stringValue();
        String publicPem = vector.get("public_key_pem").stringValue();
        SigningKey key = SigningKey.fromPkcs8Pem(privatePem);
        assertThat(key.verifyingKey()).isEqualTo(VerifyingKey.fromSpkiPem(publicPem));
        assertThat(key.verifyingKey().toSpkiPem()).isEqualTo(publicPem);
        assertThat(key.toPkcs8Pem()).isEqualTo(privatePem);
    }

    @Test
    void privateKeyPemRoundTrips() {
        SigningKey key = SigningKey.generate();
        String pem = key.toPkcs8Pem();
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
        SigningKey reread = SigningKey.fromPkcs8Pem(pem);
        assertThat(reread.verifyingKey()).isEqualTo(key.verifyingKey());
        assertThat(reread.sign("m")).isEqualTo(key.sign("m"));
    }

    @Test
    void publicKeyPemAndRawFormsRoundTrip() {
        VerifyingKey key = SigningKey.generate().verifyingKey();
        assertThat(VerifyingKey.fromSpkiPem(key.toSpkiPem())).isEqualTo(key);
        assertThat(VerifyingKey.fromPem(key.toSpkiPem())).isEqualTo(key);
        assertThat(VerifyingKey.fromRawBase64Url(key.rawBase64Url())).isEqualTo(key);
        assertThat(VerifyingKey.fromRaw(key.toRaw())).isEqualTo(key).hasSameHashCodeAs(key);
    }

    @Test
    void readsPemWhoseLineBreaksAreWrittenAsBackslashN() {
        SigningKey key = SigningKey.generate();
        String oneLine = key.toPkcs8Pem().replace("\n", "\\n");
        assertThat(oneLine).doesNotContain("\n");
        assertThat(SigningKey.fromPkcs8Pem(oneLine).verifyingKey()).isEqualTo(key.verifyingKey());
        assertThat(VerifyingKey.fromSpkiPem(key.verifyingKey().toSpkiPem().replace("\n", "\\n")))
                .isEqualTo(key.verifyingKey());
    }

    @Test
    void readsPemWithCarriageReturnsAndSurroundingWhitespace() {
        VerifyingKey key = seed07().verifyingKey();
        assertThat(VerifyingKey.fromSpkiPem("\n  " + SEED_07_PUBLIC_PEM.replace("\n", "\r\n") + "  ")).isEqualTo(key);
    }

    @Test
    void derivesThePublicKeyFromAPrivateKeyPem() {
        SigningKey key = SigningKey.generate();
        assertThat(VerifyingKey.fromPem(key.toPkcs8Pem())).isEqualTo(key.verifyingKey());
    }

    @Test
    void signaturesVerifyOnlyForTheSignedMessageAndTheSigningKey() {
        SigningKey key = SigningKey.generate();
        byte[] message = "hello ✓".getBytes(StandardCharsets.UTF_8);
        Signature signature = key.sign(message);
        assertThat(key.sign("hello ✓")).isEqualTo(signature);
        assertThat(key.verifyingKey().verify(message, signature)).isTrue();
        assertThat(key.verifyingKey().verify("hello ✓", signature)).isTrue();

        byte[] tampered = message.clone();
        tampered[0] ^= 1;
        assertThat(key.verifyingKey().verify(tampered, signature)).isFalse();
        assertThat(SigningKey.generate().verifyingKey().verify(message, signature)).isFalse();

        byte[] bent = signature.toBytes();
        bent[10] ^= 0x40;
        assertThat(key.verifyingKey().verify(message, Signature.fromBytes(bent))).isFalse();
    }

    @Test
    void interoperatesWithTheJdkEd25519Implementation() throws Exception {
        KeyPair jdk = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        SigningKey ours = SigningKey.fromPkcs8Pem(pem("PRIVATE KEY", jdk.getPrivate().getEncoded()));
        VerifyingKey theirs = VerifyingKey.fromSpkiPem(pem("PUBLIC KEY", jdk.getPublic().getEncoded()));
        assertThat(ours.verifyingKey()).isEqualTo(theirs);
        assertThat(ours.verifyingKey().toSpkiPem()).isEqualTo(pem("PUBLIC KEY", jdk.getPublic().getEncoded()));

        byte[] message = "interop".getBytes(StandardCharsets.UTF_8);
        java.security.Signature jdkSigner = java.security.Signature.getInstance("Ed25519");
        jdkSigner.initSign(jdk.getPrivate());
        jdkSigner.update(message);
        Signature jdkSignature = Signature.fromBytes(jdkSigner.sign());
        assertThat(theirs.verify(message, jdkSignature)).isTrue();
        assertThat(ours.sign(message)).as("Ed25519 is deterministic").isEqualTo(jdkSignature);

        java.security.Signature jdkVerifier = java.security.Signature.getInstance("Ed25519");
        jdkVerifier.initVerify(jdk.getPublic());
        jdkVerifier.update(message);
        assertThat(jdkVerifier.verify(ours.sign(message).toBytes())).isTrue();
    }

    @Test
    void readsVersionTwoPkcs8WithAMatchingPublicKey() throws Exception {
        SigningKey key = SigningKey.generate();
        byte[] der = versionTwoPkcs8(seedOf(key), key.verifyingKey().toRaw());
        assertThat(SigningKey.fromPkcs8Pem(pem("PRIVATE KEY", der)).verifyingKey()).isEqualTo(key.verifyingKey());
    }

    @Test
    void refusesVersionTwoPkcs8WhosePublicKeyBelongsToAnotherSeed() throws Exception {
        SigningKey key = SigningKey.generate();
        byte[] der = versionTwoPkcs8(seedOf(key), SigningKey.generate().verifyingKey().toRaw());
        assertInvalidKey(() -> SigningKey.fromPkcs8Pem(pem("PRIVATE KEY", der)));
    }

    @Test
    void refusesKeysOfOtherAlgorithms() throws Exception {
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertInvalidKey(() -> VerifyingKey.fromSpkiPem(pem("PUBLIC KEY", ec.getPublic().getEncoded())));
        assertInvalidKey(() -> VerifyingKey.fromPem(pem("PRIVATE KEY", ec.getPrivate().getEncoded())));
        assertInvalidKey(() -> SigningKey.fromPkcs8Pem(pem("PRIVATE KEY", ec.getPrivate().getEncoded())));
        KeyPair x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        assertInvalidKey(() -> VerifyingKey.fromSpkiPem(pem("PUBLIC KEY", x25519.getPublic().getEncoded())));
    }

    @Test
    void refusesAPemOfTheWrongKind() {
        SigningKey key = SigningKey.generate();
        assertInvalidKey(() -> VerifyingKey.fromSpkiPem(key.toPkcs8Pem()));
        assertInvalidKey(() -> SigningKey.fromPkcs8Pem(key.verifyingKey().toSpkiPem()));
        assertInvalidKey(() -> VerifyingKey.fromPem(key.toPkcs8Pem().replace("PRIVATE KEY", "CERTIFICATE")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not a pem",
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=\n"
                + "-----END PRIVATE KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=\n",
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0i=\n"
                + "-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nMCkwBQYDK2VwAyAAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw==\n"
                + "-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n",
        "junk -----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=\n"
                + "-----END PUBLIC KEY-----\n",
    })
    void refusesMalformedPublicKeyPem(String pem) {
        assertInvalidKey(() -> VerifyingKey.fromSpkiPem(pem));
        assertInvalidKey(() -> VerifyingKey.fromPem(pem));
    }

    @Test
    void refusesRawKeysOfTheWrongLengthOrEncoding() {
        assertInvalidKey(() -> VerifyingKey.fromRaw(new byte[31]));
        assertInvalidKey(() -> VerifyingKey.fromRaw(new byte[33]));
        assertInvalidKey(() -> VerifyingKey.fromRawBase64Url(SEED_07_PUBLIC_RAW + "A"));
        assertInvalidKey(() -> VerifyingKey.fromRawBase64Url(SEED_07_PUBLIC_RAW.replace('-', '+')));
        assertInvalidKey(() -> SigningKey.fromSeed(new byte[16]));
    }

    @Test
    void refusesAPublicKeyThatIsNotACurvePoint() {
        // y = 2 has no x on edwards25519: 2^2 - 1 = 3 over (d * 4 + 1) is not a square mod p.
        byte[] raw = new byte[32];
        raw[0] = 2;
        assertInvalidKey(() -> VerifyingKey.fromRaw(raw));
    }

    @Test
    void keepsKeyMaterialOutOfToString() {
        SigningKey key = SigningKey.generate();
        String pemBody = key.toPkcs8Pem().split("\n")[1];
        String seedBase64 = Base64.getEncoder().encodeToString(seedOf(key));
        String seedBase64Url = Base64Url.encode(seedOf(key));
        assertThat(key.toString())
                .doesNotContain(pemBody)
                .doesNotContain(seedBase64.substring(0, 20))
                .doesNotContain(seedBase64Url.substring(0, 20))
                .contains(key.verifyingKey().rawBase64Url());
    }

    private static void assertInvalidKey(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidKeyException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ENVELOPE_INVALID);
            assertThat(e.getMessage()).isNotBlank().doesNotContainIgnoringCase("ERR_");
        });
    }

    private static byte[] seedOf(SigningKey key) {
        String pem = key.toPkcs8Pem();
        byte[] der = Base64.getDecoder().decode(pem.split("\n")[1]);
        return Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    private static byte[] versionTwoPkcs8(byte[] seed, byte[] publicKey) throws Exception {
        AlgorithmIdentifier ed25519 = new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.101.112"));
        return new PrivateKeyInfo(ed25519, new DEROctetString(seed), null, publicKey).getEncoded("DER");
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
