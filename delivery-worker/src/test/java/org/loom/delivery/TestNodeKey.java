package org.loom.delivery;

import org.loom.protocol.crypto.SigningKey;

/** The node key the test contexts run with; tests verify webhook signatures with its public half. */
public final class TestNodeKey {

    public static final SigningKey KEY = SigningKey.generate();
    public static final String KEY_ID = "k_node_sign_test_1";
    public static final String NODE_ID = "node.test.local";

    private TestNodeKey() {
    }
}
