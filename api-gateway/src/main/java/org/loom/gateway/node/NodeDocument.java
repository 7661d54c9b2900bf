package org.loom.gateway.node;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.loom.protocol.json.CanonicalJson;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code GET /.well-known/loom.json} says about this node (spec §15.2): who it is, where its API, federation
 * and authentication endpoints are, the key its federation requests are signed with, and the protocol versions and
 * federation policy it applies.
 *
 * @param nodeId     the node's federation identity
 * @param domain     its public domain
 * @param endpoints  the bases of its public URLs
 * @param signingKey the node signing key
 */
public record NodeDocument(String nodeId, String domain, PublicEndpoints endpoints, NodeSigningKey signingKey) {

    /** The protocol version this node speaks. */
    public static final String PROTOCOL_VERSION = "1.1";

    /**
     * Inbound federation is accepted only from nodes registered on this node, and only in requests signed with a
     * key they registered.
     */
    public static final String FEDERATION_POLICY_MODE = "allowlist";

    public NodeDocument {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(signingKey, "signingKey");
    }

    /** The document as served at {@code generatedAt}, in the field order peers of the reference node read. */
    public ObjectNode toJson(Instant generatedAt) {
        String publicKeyPem = signingKey.verifyingKey().toSpkiPem();
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("loom_version", PROTOCOL_VERSION);
        json.put("node_id", nodeId);
        json.put("domain", domain);
        json.put("api_url", endpoints.http("/v1"));
        json.put("websocket_url", endpoints.websocket("/ws"));
        json.put("deliver_url", endpoints.http("/v1/federation/deliver"));

        ObjectNode federation = json.putObject("federation");
        federation.put("signing_key_id", signingKey.keyId());
        federation.put("public_key_pem", publicKeyPem);
        ObjectNode key = federation.putArray("signing_keys").addObject();
        key.put("key_id", signingKey.keyId());
        key.put("public_key_pem", publicKeyPem);
        federation.put("outbox_url", endpoints.http("/v1/federation/outbox"));
        federation.put("challenge_url", endpoints.http("/v1/federation/challenge"));
        ObjectNode policy = federation.putObject("policy");
        policy.put("mode", FEDERATION_POLICY_MODE);
        policy.put("request_signature", "LOOM-HTTP-SIG-1");

        ObjectNode auth = json.putObject("auth_endpoints");
        auth.put("challenge", endpoints.http("/v1/auth/challenge"));
        auth.put("token", endpoints.http("/v1/auth/token"));
        auth.put("refresh", endpoints.http("/v1/auth/refresh"));

        json.putArray("supported_versions").add(PROTOCOL_VERSION);
        json.putArray("supported_profiles").add("loom-core-1");
        json.putObject("auth").put("proof_of_key", true);
        json.put("generated_at", Timestamps.format(generatedAt));
        json.put("request_id", UUID.randomUUID().toString());
        return json;
    }

    /**
     * {@code GET /v1/federation/hello}: {@code {node_id, domain, version, deliver_url, timestamp}} as the reference
     * node serves it, plus a {@code signature} block {@code {algorithm, key_id, value}}: the node key's Ed25519
     * signature over the RFC 8785 canonical form of the other members.
     */
    public ObjectNode hello(Instant at) {
        ObjectNode json = LoomJson.mapper().createObjectNode();
        json.put("node_id", nodeId);
        json.put("domain", domain);
        json.put("version", PROTOCOL_VERSION);
        json.put("deliver_url", endpoints.http("/v1/federation/deliver"));
        json.put("timestamp", Timestamps.format(at));
        String value = signingKey.key().sign(CanonicalJson.rfc8785Bytes(json)).base64Url();
        json.putObject("signature").put("algorithm", "Ed25519").put("key_id", signingKey.keyId()).put("value", value);
        return json;
    }
}
