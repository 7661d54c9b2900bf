package org.loom.node.attack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.loom.launcher.EmbeddedNodeSettings;
import org.loom.launcher.LoomNode;
import org.loom.testsupport.client.NodeClient;
import org.loom.testsupport.client.TestIdentity;
import org.springframework.util.FileSystemUtils;

/** One embedded node for a class of attack tests, with an admin token, reached only through its public gateway. */
final class AttackNode implements AutoCloseable {

    static final String ADMIN_TOKEN = "admin-" + System.nanoTime();

    private final LoomNode node;
    private final NodeClient client;
    private final Path dataDir;

    private AttackNode(LoomNode node, Path dataDir) {
        this.node = node;
        this.dataDir = dataDir;
        this.client = new NodeClient(node.gatewayUrl());
    }

    /** Starts a node with the given extra settings; the admin token is set the way the services read it. */
    static AttackNode start(Map<String, String> extra) throws Exception {
        Path dataDir = Files.createTempDirectory("loom-attack");
        System.setProperty("LOOM_ADMIN_TOKEN", ADMIN_TOKEN);
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("LOOM_DATA_DIR", dataDir.toString());
        settings.put("PORT", "0");
        return new AttackNode(LoomNode.start(EmbeddedNodeSettings.fromEnvironment(settings)), dataDir);
    }

    NodeClient client() {
        return client;
    }

    LoomNode node() {
        return node;
    }

    /** A registered person with an access token. */
    Account enrol(String identity) {
        TestIdentity person = TestIdentity.generate(identity);
        client.register(person);
        return new Account(person, client.token(person));
    }

    record Account(TestIdentity person, String token) {

        String identity() {
            return person.identity();
        }
    }

    @Override
    public void close() {
        node.close();
        System.clearProperty("LOOM_ADMIN_TOKEN");
        try {
            FileSystemUtils.deleteRecursively(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
