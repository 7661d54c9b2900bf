package org.loom.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.loom.protocol.kafka.Topic;
import org.loom.protocol.kafka.Topics;
import org.loom.system.ComposeFile.ComposeService;
import org.loom.system.DeploymentFiles.Manifest;
import org.loom.system.DeploymentFiles.Probe;

/**
 * docker-compose.yml and k8s/ stay in step with the code: a service module, a setting, a probe path or a topic added on
 * one side without the other fails here. SplitModeTest proves the same files at run time.
 */
class DeploymentFilesTest {

    private static final Path ROOT = ServiceJars.repositoryRoot();
    private static final DeploymentFiles FILES = DeploymentFiles.read(ROOT);
    private static final String CONFIGURATION = DeploymentFiles.text(ROOT.resolve("docs/configuration.md"));
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(LOOM_[A-Z0-9_]+)");
    private static final Pattern TOPIC_LINE = Pattern.compile("(?m)^create\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)\\s*$");

    @Test
    void everyServiceModuleHasAComposeServiceADeploymentAndAKubernetesService() {
        List<String> modules = FILES.serviceModules();
        assertThat(modules).contains("api-gateway", "envelope-service", "federation-service", "delivery-worker",
                "email-bridge");
        assertThat(FILES.compose().loomServices().keySet()).as("compose services built from a module")
                .containsExactlyInAnyOrderElementsOf(modules);
        assertThat(FILES.ofKind("Deployment").keySet()).as("k8s Deployments").containsExactlyInAnyOrderElementsOf(modules);
        assertThat(FILES.ofKind("Service").keySet()).as("k8s Services").containsAll(modules);
    }

    @Test
    void everyImageIsNamedAfterItsModuleWithOneTag() {
        Set<String> tags = new TreeSet<>();
        for (ComposeService service : FILES.compose().loomServices().values()) {
            assertThat(service.image()).as("compose image of " + service.name()).startsWith("loom/" + service.module() + ":");
            assertThat(service.name()).as("compose service of module " + service.module()).isEqualTo(service.module());
            tags.add(service.image().substring(service.image().indexOf(':') + 1));
        }
        for (Manifest deployment : FILES.ofKind("Deployment").values()) {
            assertThat(deployment.containers()).hasSize(1);
            String image = String.valueOf(deployment.containers().get(0).get("image"));
            assertThat(image).as("image of Deployment " + deployment.name()).startsWith("loom/" + deployment.name() + ":");
            tags.add(image.substring(image.indexOf(':') + 1));
        }
        assertThat(tags).as("one release tag across compose and k8s").hasSize(1);
    }

    @Test
    void everyLoomVariableTheDeploymentsSetIsDocumented() {
        Map<String, String> variables = FILES.loomVariables();
        assertThat(variables).isNotEmpty();
        variables.forEach((name, where) -> assertThat(CONFIGURATION).as(name + " set in " + where
                + " is missing from docs/configuration.md").contains("`" + name + "`"));
    }

    @Test
    void everyLoomVariableTheServicesReadIsDocumented() {
        Set<String> read = new LinkedHashSet<>();
        for (String module : FILES.serviceModules()) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/resources"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                        .toList()) {
                    Matcher placeholder = PLACEHOLDER.matcher(DeploymentFiles.text(file));
                    while (placeholder.find()) {
                        read.add(placeholder.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(read).isNotEmpty();
        List<String> undocumented = read.stream().filter(name -> !CONFIGURATION.contains("`" + name + "`")).toList();
        assertThat(undocumented).as("variables read by a service but missing from docs/configuration.md").isEmpty();
    }

    @Test
    void everyProbeAsksTheServicesOwnPortForAPathItServes() {
        List<Probe> probes = FILES.probes();
        for (String module : FILES.serviceModules()) {
            assertThat(probes).as("probes of " + module).anySatisfy(probe ->
                    assertThat(probe.module()).isEqualTo(module));
        }
        for (Probe probe : probes) {
            ComposeService service = FILES.compose().loomServices().get(probe.module());
            assertThat(service).as(probe.declaredIn() + " names an unknown module " + probe.module()).isNotNull();
            assertThat(String.valueOf(probe.port())).as(probe + ": the service's port")
                    .isEqualTo(service.environment().get("PORT"));
            assertThat(servedPaths(probe.module(), service)).as(probe + ": a path the service serves")
                    .contains(probe.path());
        }
    }

    @Test
    void theTopicScriptCreatesExactlyTheNodesTopicsAndKubernetesRunsTheSameScript() {
        String script = DeploymentFiles.text(ROOT.resolve("deploy/create-topics.sh"));
        List<String> created = new ArrayList<>();
        Matcher line = TOPIC_LINE.matcher(script);
        while (line.find()) {
            created.add(line.group(1) + " " + line.group(2) + " " + line.group(3));
        }
        assertThat(created).containsExactlyInAnyOrderElementsOf(Topics.all().stream()
                .map(topic -> topic.name() + " " + topic.partitions() + " " + topic.cleanupPolicy()).toList());
        assertThat(script).as("record size limit the services' producers use")
                .contains("MAX_RECORD_BYTES=" + Topic.MAX_RECORD_BYTES)
                .contains("--config \"max.message.bytes=$MAX_RECORD_BYTES\"");

        Manifest configMap = FILES.ofKind("ConfigMap").get("loom-create-topics");
        assertThat(configMap).isNotNull();
        assertThat(ComposeFile.map(configMap.body().get("data")).get("create-topics.sh")).isEqualTo(script);
        assertThat(FILES.ofKind("Job")).containsKey("loom-create-topics");
        assertThat(FILES.compose().services().get("kafka-topics").toString()).contains("deploy/create-topics.sh");
    }

    @Test
    void composeRunsKafkaInKraftModeAndPostgresAndGivesTheNodeKeyAsASecret() {
        Map<String, Map<String, Object>> services = FILES.compose().services();
        assertThat(String.valueOf(services.get("kafka").get("image"))).startsWith("apache/kafka:4.1.");
        assertThat(services.get("kafka").toString()).contains("KAFKA_PROCESS_ROLES=broker,controller");
        assertThat(String.valueOf(services.get("postgres").get("image"))).isEqualTo("postgres:17");
        assertThat(services.get("api-gateway").get("ports").toString()).contains("8787:8787");
        for (ComposeService service : FILES.compose().loomServices().values()) {
            assertThat(service.environment()).as(service.name() + " gets the node key as a file, not a variable")
                    .doesNotContainKey("LOOM_NODE_SIGNING_PRIVATE_KEY_PEM");
            assertThat(service.secretTargets()).containsEntry("node_signing_key", "LOOM_NODE_SIGNING_PRIVATE_KEY_PEM");
            assertThat(service.definition()).containsKey("healthcheck");
        }
        assertThat(FILES.compose().section("secrets")).containsKey("node_signing_key");
        assertThat(FILES.compose().section("volumes")).containsKeys("kafka-data", "postgres-data");
    }

    @Test
    void kubernetesScalesGatewayAndEnvelopeServiceProtectsEveryServiceAndExposesOnlyTheGateway() {
        Map<String, Manifest> autoscalers = FILES.ofKind("HorizontalPodAutoscaler");
        assertThat(autoscalers).containsKeys("api-gateway", "envelope-service");
        assertThat(((Number) autoscalers.get("envelope-service").spec().get("maxReplicas")).intValue())
                .as("more command consumers than partitions would idle")
                .isLessThanOrEqualTo(Topics.ENVELOPE_COMMANDS.partitions());
        assertThat(((Number) autoscalers.get("api-gateway").spec().get("maxReplicas")).intValue())
                .as("every gateway replica needs a partition of the results topic to get its decisions")
                .isLessThanOrEqualTo(Topics.ENVELOPE_COMMAND_RESULTS.partitions());
        Set<String> budgets = new TreeSet<>();
        FILES.ofKind("PodDisruptionBudget").values().forEach(budget -> budgets.add(String.valueOf(
                ComposeFile.map(ComposeFile.map(budget.spec().get("selector")).get("matchLabels"))
                        .get("app.kubernetes.io/name"))));
        assertThat(budgets).containsAll(FILES.serviceModules());

        Map<String, Manifest> policies = FILES.ofKind("NetworkPolicy");
        Manifest denyAll = policies.values().stream()
                .filter(policy -> ComposeFile.map(policy.spec().get("podSelector")).isEmpty()
                        && policy.spec().get("ingress") == null)
                .findFirst().orElseThrow(() -> new AssertionError("no default-deny ingress NetworkPolicy"));
        assertThat(denyAll.spec().get("policyTypes").toString()).contains("Ingress");
        for (Manifest policy : policies.values()) {
            for (Object rule : ComposeFile.list(policy.spec().get("ingress"))) {
                if (ComposeFile.map(rule).get("from") == null) {
                    // A rule without "from" admits everyone: only the gateway may have one.
                    assertThat(ComposeFile.map(ComposeFile.map(policy.spec().get("podSelector")).get("matchLabels"))
                            .get("app.kubernetes.io/name")).as("public ingress in " + policy.name())
                            .isEqualTo("api-gateway");
                }
            }
        }
    }

    /** The paths a service answers on: its own GET mappings, and the actuator's health groups when they are on. */
    private static Set<String> servedPaths(String module, ComposeService service) {
        Set<String> paths = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
            for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher mapping = Pattern.compile("@GetMapping\\(\"(/[^\"]*)\"\\)").matcher(DeploymentFiles.text(source));
                while (mapping.find()) {
                    paths.add(mapping.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (DeploymentFiles.text(ROOT.resolve(module).resolve("pom.xml")).contains("spring-boot-starter-actuator")) {
            paths.add("/actuator/health");
            if ("true".equals(service.environment().get("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED"))) {
                paths.add("/actuator/health/liveness");
                paths.add("/actuator/health/readiness");
            }
        }
        return paths;
    }

}
