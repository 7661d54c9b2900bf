package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.protocol.crypto.Signature;
import org.loom.protocol.crypto.SigningKey;

class NodeSigningKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void generatesTheKeyOnceAndLoadsTheSameKeyOnLaterStarts() throws Exception {
        EmbeddedNodeSettings settings = settings(Map.of());

        NodeSigningKey first = NodeSigningKey.prepare(settings);
        NodeSigningKey second = NodeSigningKey.prepare(settings);

        assertThat(first.origin()).isEqualTo(NodeSigningKey.Origin.GENERATED);
        assertThat(second.origin()).isEqualTo(NodeSigningKey.Origin.LOADED);
        assertThat(second.keyId()).isEqualTo("k_node_sign_local_1");
        assertThat(second.key().verifyingKey()).isEqualTo(first.key().verifyingKey());
        Signature signedLater = second.key().sign("node document");
        assertThat(first.key().verifyingKey().verify("node document", signedLater)).isTrue();

        Path file = dataDir.resolve("node-signing-key.pem");
        assertThat(Files.readString(file, StandardCharsets.US_ASCII)).isEqualTo(first.privateKeyPem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("node-signing-key.pem");
        }
    }

    @Test
    void usesTheConfiguredKeyAndWritesNoFile() {
        SigningKey configured = SigningKey.generate();
        // Environment variables often carry the PEM on one line with literal "\n" escapes.
        String oneLine = configured.toPkcs8Pem().replace("\n", "\\n");

        NodeSigningKey key = NodeSigningKey.prepare(settings(Map.of(
                "LOOM_NODE_SIGNING_PRIVATE_KEY_PEM", oneLine,
                "LOOM_NODE_SIGNING_KEY_ID", "k_node_sign_prod_7")));

        assertThat(key.origin()).isEqualTo(NodeSigningKey.Origin.CONFIGURED);
        assertThat(key.keyId()).isEqualTo("k_node_sign_prod_7");
        assertThat(key.key().verifyingKey()).isEqualTo(configured.verifyingKey());
        assertThat(key.privateKeyPem()).isEqualTo(configured.toPkcs8Pem());
        assertThat(dataDir.resolve("node-signing-key.pem")).doesNotExist();
    }

    @Test
    void refusesAKeyFileThatHoldsNoKey() throws Exception {
        Files.writeString(dataDir.resolve("node-signing-key.pem"), "not a key\n");

        assertThatThrownBy(() -> NodeSigningKey.prepare(settings(Map.of())))
                .isInstanceOf(NodeStartupException.class)
                .hasMessageContaining(dataDir.resolve("node-signing-key.pem").toString())
                .hasMessageContaining("is not an Ed25519 private key in PKCS#8 PEM");
    }

    @Test
    void refusesAConfiguredKeyThatIsNotAKey() {
        assertThatThrownBy(() -> NodeSigningKey.prepare(settings(Map.of(
                "LOOM_NODE_SIGNING_PRIVATE_KEY_PEM", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))))
                .isInstanceOf(NodeStartupException.class)
                .hasMessageStartingWith("the node signing key in LOOM_NODE_SIGNING_PRIVATE_KEY_PEM is not an Ed25519");
    }

    @Test
    void neverShowsTheKeyInItsTextForm() {
        NodeSigningKey key = NodeSigningKey.prepare(settings(Map.of()));

        assertThat(key.toString()).doesNotContain(key.privateKeyPem().lines().skip(1).findFirst().orElseThrow());
    }

    private EmbeddedNodeSettings settings(Map<String, String> extra) {
        Map<String, String> environment = new java.util.HashMap<>(extra);
        environment.put("LOOM_DATA_DIR", dataDir.toString());
        return EmbeddedNodeSettings.fromEnvironment(environment);
    }
}
