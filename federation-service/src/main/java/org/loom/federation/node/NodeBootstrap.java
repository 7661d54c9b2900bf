package org.loom.federation.node;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.loom.federation.outbound.OutboundFetcher;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.loom.service.audit.AuditTrail;
import org.loom.service.web.JsonNumbers;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/federation/nodes/bootstrap}: registers a node from its {@code /.well-known/loom.json}.
 *
 * <p>The document is fetched before any transaction opens (a slow peer must not hold a database connection), then
 * registered as if its keys and URLs had been posted, always with a policy: the one asked for, else trusted.
 */
@Service
public class NodeBootstrap {

    private final OutboundFetcher fetcher;
    private final NodeRegistration registration;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    NodeBootstrap(OutboundFetcher fetcher, NodeRegistration registration, AuditTrail audit,
            TransactionTemplate transactions, Clock clock) {
        this.fetcher = fetcher;
        this.registration = registration;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    public ObjectNode bootstrap(JsonNode body, String actor) {
        if (body == null || !body.isObject()) {
            throw LoomException.invalid("Request body must be a JSON object", LoomException.details("field", "body"));
        }
        String documentUrl = NodeRegistration.text(body, "node_document_url");
        if (documentUrl == null) {
            documentUrl = NodeRegistration.text(body, "well_known_url");
        }
        if (documentUrl == null) {
            String host = NodeRegistration.text(body, "domain");
            if (host == null) {
                host = NodeRegistration.text(body, "node_id");
            }
            if (host == null) {
                throw LoomException.invalid("node_document_url, well_known_url, domain or node_id is required",
                        LoomException.details("field", "node_document_url"));
            }
            documentUrl = "https://" + host + "/.well-known/loom.json";
        }
        boolean insecure = NodeRegistration.flag(body, "allow_insecure_http");
        boolean replaceKeys = NodeRegistration.flag(body, "replace_signing_keys");
        long timeoutMs = body.path("timeout_ms").isNumber()
                ? JsonNumbers.clamp(body.get("timeout_ms"), Long.MIN_VALUE, Long.MAX_VALUE) : 5000;
        Duration timeout = Duration.ofMillis(Math.max(500, Math.min(timeoutMs, 20_000)));
        JsonNode document = fetcher.getJson(documentUrl, insecure, timeout);
        String fetchedAt = Timestamps.now(clock);

        String nodeId = NodeRegistration.text(document, "node_id");
        if (nodeId == null) {
            throw LoomException.invalid("Node document has no node_id",
                    LoomException.details("node_document_url", documentUrl));
        }
        JsonNode federation = document.path("federation");
        Map<String, String> keys = new LinkedHashMap<>();
        for (JsonNode entry : federation.path("signing_keys")) {
            String keyId = NodeRegistration.text(entry, "key_id");
            String pem = NodeRegistration.text(entry, "public_key_pem");
            if (keyId != null && pem != null) {
                keys.put(keyId, pem);
            }
        }
        String legacyKeyId = NodeRegistration.text(federation, "signing_key_id");
        String legacyPem = NodeRegistration.text(federation, "public_key_pem");
        if (legacyKeyId != null && legacyPem != null) {
            keys.putIfAbsent(legacyKeyId, legacyPem);
        }
        if (keys.isEmpty()) {
            throw LoomException.invalid("Node document has no federation signing keys",
                    LoomException.details("node_document_url", documentUrl));
        }
        String apiUrl = NodeRegistration.text(document, "api_url");
        String deliverUrl = firstText(NodeRegistration.text(body, "deliver_url"),
                NodeRegistration.text(document, "deliver_url"), NodeRegistration.text(federation, "deliver_url"),
                apiUrl == null ? null : stripSlash(apiUrl) + "/federation/deliver",
                URI.create(documentUrl).resolve("/v1/federation/deliver").toString());
        fetcher.checkTarget(deliverUrl, insecure);

        ObjectNode registrationBody = LoomJson.mapper().createObjectNode();
        registrationBody.put("node_id", nodeId);
        ArrayNode signingKeys = registrationBody.putArray("signing_keys");
        keys.forEach((id, pem) -> signingKeys.addObject().put("key_id", id).put("public_key_pem", pem));
        String active = firstText(NodeRegistration.text(body, "active_key_id"), legacyKeyId);
        if (active != null) {
            registrationBody.put("active_key_id", active);
        }
        registrationBody.put("deliver_url", deliverUrl);
        if (apiUrl != null) {
            registrationBody.put("api_url", stripSlash(apiUrl));
        }
        String domain = NodeRegistration.text(document, "domain");
        if (domain != null) {
            registrationBody.put("domain", domain);
        }
        registrationBody.put("replace_signing_keys", replaceKeys);
        JsonNode policy = body.get("policy");
        registrationBody.set("policy", policy == null || policy.isNull()
                ? registrationBody.stringNode(FederatedNode.TRUSTED) : policy);

        String url = documentUrl;
        return transactions.execute(status -> {
            FederatedNode node = registration.register(registrationBody, actor);
            ObjectNode payload = AuditTrail.payload();
            payload.put("node_id", node.nodeId()).put("key_id", node.keyId())
                    .put("signing_key_count", node.signingKeys().size()).put("node_document_url", url)
                    .put("deliver_url", node.deliverUrl()).put("actor", actor);
            audit.record("federation.node.bootstrap", payload);
            ObjectNode response = LoomJson.mapper().createObjectNode();
            response.set("node", node.toJson(clock.instant()));
            response.putObject("discovery").put("node_document_url", url).put("fetched_at", fetchedAt);
            return response;
        });
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String firstText(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
