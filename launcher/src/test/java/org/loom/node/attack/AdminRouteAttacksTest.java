package org.loom.node.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loom.gateway.admin.AdminToken;
import org.loom.node.attack.AttackNode.Account;
import org.loom.protocol.crypto.SigningKey;
import org.loom.protocol.json.LoomJson;
import org.loom.testsupport.client.NodeAnswer;
import org.loom.testsupport.client.NodeClient;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The administrator's routes, found in the gateway's own handler mappings rather than listed here: every handler
 * method whose code calls {@link AdminToken#require} (directly or through a method of its class). Each is called
 * through the public gateway with no credentials, with a wrong admin token, and with a valid user's bearer token.
 */
class AdminRouteAttacksTest {

    private static AttackNode node;
    private static NodeClient client;
    private static Account mallory;
    private static List<Route> adminRoutes;

    record Route(String method, String path) {
    }

    @BeforeAll
    static void startNode() throws Exception {
        adminRoutes = adminRoutes();
        node = AttackNode.start(Map.of());
        client = node.client();
        mallory = node.enrol("loom://mallory@node.test");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void adminRoutesAreFoundInTheGatewaysMappings() {
        assertThat(adminRoutes).contains(new Route("GET", "/v1/admin/status"),
                new Route("POST", AdminToken.RESTORE_PATH), new Route("GET", "/v1/audit/verify"));
    }

    @Test
    void everyAdminRouteRefusesCallersWithoutTheAdminToken() {
        for (Route route : adminRoutes) {
            for (Map<String, String> headers : List.of(Map.<String, String>of(),
                    Map.of(AdminToken.HEADER, "wrong-" + AttackNode.ADMIN_TOKEN),
                    Map.of(AdminToken.HEADER, AttackNode.ADMIN_TOKEN + "0"),
                    Map.of(AdminToken.HEADER, AttackNode.ADMIN_TOKEN.toUpperCase(java.util.Locale.ROOT)),
                    Map.of(AdminToken.HEADER, AttackNode.ADMIN_TOKEN.substring(1)),
                    Map.of("X-LOOM-Admin", "true"))) {
                NodeAnswer anonymous = call(route, null, headers);
                assertThat(anonymous.status()).as(route + " " + headers + " " + anonymous.raw()).isEqualTo(403);
                assertThat(anonymous.errorCode()).isEqualTo("CAPABILITY_DENIED");
                NodeAnswer asUser = call(route, mallory.token(), headers);
                assertThat(asUser.status()).as(route + " as a user " + headers + " " + asUser.raw()).isEqualTo(403);
            }
        }
    }

    @Test
    void adminReadRoutesAnswerTheRightToken() {
        for (Route route : adminRoutes) {
            if (!route.method().equals("GET") || route.path().contains("{")) {
                continue;
            }
            NodeAnswer answer = call(route, null, Map.of(AdminToken.HEADER, AttackNode.ADMIN_TOKEN));
            assertThat(answer.status()).as(route + " " + answer.raw()).isEqualTo(200);
        }
    }

    @Test
    void anOrdinaryIdentityCannotRegisterOrOverwriteAFederationNode() {
        Map<String, String> asAdmin = Map.of(AdminToken.HEADER, AttackNode.ADMIN_TOKEN);
        String denyingKey = SigningKey.generate().verifyingKey().toSpkiPem();
        client.post("/v1/federation/nodes", null, LoomJson.mapper().createObjectNode()
                .put("node_id", "hostile.test").put("key_id", "k_node_1").put("public_key_pem", denyingKey)
                .put("deliver_url", "https://hostile.test/v1/federation/deliver").put("policy", "deny"),
                asAdmin).expect(201);
        String before = LoomJson.write(node("hostile.test"));

        ObjectNode lifted = LoomJson.mapper().createObjectNode().put("node_id", "hostile.test")
                .put("key_id", "k_node_2").put("public_key_pem", SigningKey.generate().verifyingKey().toSpkiPem())
                .put("deliver_url", "https://mallory.test/v1/federation/deliver").put("policy", "trusted");
        NodeAnswer overwrite = client.post("/v1/federation/nodes", mallory.token(), lifted);
        assertThat(overwrite.status()).as(overwrite.raw()).isEqualTo(403);
        assertThat(overwrite.errorCode()).isEqualTo("CAPABILITY_DENIED");
        NodeAnswer forged = client.post("/v1/federation/nodes", mallory.token(), lifted, Map.of("X-LOOM-Admin", "true"));
        assertThat(forged.status()).as(forged.raw()).isEqualTo(403);
        NodeAnswer fresh = client.post("/v1/federation/nodes", mallory.token(), lifted.deepCopy()
                .put("node_id", "mallory.test"));
        assertThat(fresh.status()).as(fresh.raw()).isEqualTo(403);
        NodeAnswer bootstrap = client.post("/v1/federation/nodes/bootstrap", mallory.token(),
                LoomJson.mapper().createObjectNode().put("domain", "mallory.test"));
        assertThat(bootstrap.status()).as(bootstrap.raw()).isEqualTo(403);
        NodeAnswer anonymous = client.post("/v1/federation/nodes", null, lifted);
        assertThat(anonymous.status()).as(anonymous.raw()).isIn(401, 403);

        assertThat(LoomJson.write(node("hostile.test"))).isEqualTo(before);
        assertThat(LoomJson.write(client.get("/v1/federation/nodes", mallory.token()).expect(200)))
                .doesNotContain("mallory.test");
    }

    /** The registry entry for a node, as an authenticated identity lists it. */
    private static JsonNode node(String nodeId) {
        for (JsonNode listed : client.get("/v1/federation/nodes", mallory.token()).expect(200).get("nodes")) {
            if (nodeId.equals(listed.path("node_id").stringValue())) {
                return listed;
            }
        }
        throw new AssertionError(nodeId + " is not registered");
    }

    private static NodeAnswer call(Route route, String token, Map<String, String> headers) {
        String path = route.path().replaceAll("\\{[^}]+}", "x1");
        HttpRequest.Builder request = client.request(path, token, headers);
        HttpRequest.BodyPublisher body = route.method().equals("GET") || route.method().equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}");
        return client.send(request.method(route.method(), body));
    }

    /** Every route of a gateway handler that reaches {@code AdminToken.require}. */
    private static List<Route> adminRoutes() throws Exception {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Controller.class));
        List<Route> routes = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("org.loom.gateway")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            Set<String> guarded = methodsReachingAdminRequire(type);
            for (Method method : type.getDeclaredMethods()) {
                RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
                if (mapping == null || !guarded.contains(method.getName())) {
                    continue;
                }
                RequestMethod[] verbs = mapping.method().length == 0
                        ? new RequestMethod[] {RequestMethod.GET} : mapping.method();
                for (String path : mapping.path()) {
                    for (RequestMethod verb : verbs) {
                        routes.add(new Route(verb.name(), path));
                    }
                }
            }
        }
        return routes;
    }

    private static Set<String> methodsReachingAdminRequire(Class<?> type) throws IOException {
        String owner = type.getName().replace('.', '/');
        String adminToken = AdminToken.class.getName().replace('.', '/');
        Map<String, Set<String>> calls = new HashMap<>();
        Set<String> reaching = new HashSet<>();
        try (InputStream bytes = type.getClassLoader().getResourceAsStream(owner + ".class")) {
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    Set<String> callees = calls.computeIfAbsent(name, key -> new HashSet<>());
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String calledOwner, String calledName,
                                String calledDescriptor, boolean isInterface) {
                            if (calledOwner.equals(adminToken) && calledName.equals("require")) {
                                reaching.add(name);
                            } else if (calledOwner.equals(owner)) {
                                callees.add(calledName);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG);
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, Set<String>> entry : calls.entrySet()) {
                if (!reaching.contains(entry.getKey()) && entry.getValue().stream().anyMatch(reaching::contains)) {
                    reaching.add(entry.getKey());
                    grew = true;
                }
            }
        }
        return reaching;
    }
}
