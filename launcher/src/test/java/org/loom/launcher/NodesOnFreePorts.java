package org.loom.launcher;

import java.util.Map;
import java.util.function.IntFunction;

/**
 * Starts embedded nodes whose settings name their own port (in {@code LOOM_PUBLIC_BASE_URL}, say), so the port must
 * be chosen before the node starts. A port found free can be taken before the node binds it (the ports of a node
 * started just before come from the same range), so a start refused for that reason is tried again on another port.
 */
final class NodesOnFreePorts {

    private static final int ATTEMPTS = 3;

    private NodesOnFreePorts() {
    }

    /** Starts the node {@code environment} describes for a given gateway port, on a port free at that moment. */
    static LoomNode start(IntFunction<Map<String, String>> environment) {
        for (int attempt = 1; ; attempt++) {
            try {
                return LoomNode.start(EmbeddedNodeSettings.fromEnvironment(environment.apply(FreePorts.pick())));
            } catch (NodeStartupException e) {
                if (attempt == ATTEMPTS || !String.valueOf(e.getMessage()).contains("already in use")) {
                    throw e;
                }
            }
        }
    }
}
