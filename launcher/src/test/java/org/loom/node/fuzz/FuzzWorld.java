package org.loom.node.fuzz;

import org.loom.testsupport.client.TestIdentity;

/**
 * What the fixtures refer to: the identities and the objects created before fuzzing. {@code alice} and {@code bob}
 * own the conversation whose reads are checked afterwards and are never the actor of a fuzzed request; every fuzzed
 * request acts as {@code fuzzer}, in threads of its own.
 */
record FuzzWorld(
        TestIdentity alice,
        String aliceToken,
        TestIdentity bob,
        TestIdentity fuzzer,
        String fuzzerToken,
        String fuzzerRefreshToken,
        String adminToken,
        String mainThreadId,
        String fuzzThreadId,
        String fuzzEnvelopeId,
        String blobId) {
}
