package org.loom.system;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The repository's deployment files read as data: the service modules of the reactor, {@code docker-compose.yml} and
 * every manifest under {@code k8s/}.
 */
final class DeploymentFiles {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern APPLICATION_NAME = Pattern.compile("(?m)^\\s+name:\\s*([a-z0-9-]+)\\s*$");

    private final Path root;
    private final ComposeFile compose;
    private final List<Manifest> manifests;

    private DeploymentFiles(Path root, ComposeFile compose, List<Manifest> manifests) {
        this.root = root;
        this.compose = compose;
        this.manifests = manifests;
    }

    static DeploymentFiles read(Path root) {
        List<Manifest> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    for (Object document : yaml().loadAll(reader)) {
                        if (document instanceof Map<?, ?>) {
                            manifests.add(new Manifest(file.getFileName().toString(), ComposeFile.map(document)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DeploymentFiles(root, ComposeFile.read(root.resolve("docker-compose.yml")), manifests);
    }

    ComposeFile compose() {
        return compose;
    }

    List<Manifest> manifests() {
        return manifests;
    }

    /** The manifests of one kind ({@code Deployment}, {@code HorizontalPodAutoscaler}, ...), by name. */
    Map<String, Manifest> ofKind(String kind) {
        Map<String, Manifest> named = new LinkedHashMap<>();
        manifests.stream().filter(manifest -> manifest.kind().equals(kind))
                .forEach(manifest -> named.put(manifest.name(), manifest));
        return named;
    }

    /**
     * The reactor's service modules: modules of the root POM that ship an {@code application.yml} whose
     * {@code spring.application.name} is the module's own name (the runnable services; libraries and the launcher have
     * none).
     */
    List<String> serviceModules() {
        List<String> services = new ArrayList<>();
        Matcher module = MODULE.matcher(text(root.resolve("pom.xml")));
        while (module.find()) {
            Path settings = root.resolve(module.group(1)).resolve("src/main/resources/application.yml");
            if (Files.isRegularFile(settings)) {
                Matcher name = APPLICATION_NAME.matcher(text(settings));
                if (name.find() && name.group(1).equals(module.group(1))) {
                    services.add(module.group(1));
                }
            }
        }
        return services;
    }

    /** Every HTTP probe the deployment files declare for a service module: compose health checks and k8s probes. */
    List<Probe> probes() {
        List<Probe> probes = new ArrayList<>();
        compose.loomServices().forEach((module, service) -> service.healthCheck().ifPresent(target ->
                probes.add(new Probe(module, target.port(), target.path(), "docker-compose.yml healthcheck"))));
        for (Manifest deployment : ofKind("Deployment").values()) {
            for (Map<String, Object> container : deployment.containers()) {
                int port = containerPort(container).orElse(-1);
                for (String kind : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    Map<String, Object> httpGet = ComposeFile.map(ComposeFile.map(container.get(kind)).get("httpGet"));
                    if (httpGet.get("path") != null) {
                        probes.add(new Probe(deployment.name(), port, httpGet.get("path").toString(),
                                "k8s/" + deployment.file() + " " + kind));
                    }
                }
            }
        }
        return probes;
    }

    static Optional<Integer> containerPort(Map<String, Object> container) {
        return ComposeFile.list(container.get("ports")).stream()
                .map(ComposeFile::map)
                .map(port -> port.get("containerPort"))
                .filter(port -> port instanceof Integer)
                .map(Integer.class::cast)
                .findFirst();
    }

    /** Every {@code LOOM_*} variable the deployment files set, with where each is set. */
    Map<String, String> loomVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        compose.loomServices().values().forEach(service -> service.environment().keySet().stream()
                .filter(name -> name.startsWith("LOOM_"))
                .forEach(name -> variables.putIfAbsent(name, "docker-compose.yml " + service.name())));
        for (Manifest manifest : manifests) {
            if (manifest.kind().equals("ConfigMap")) {
                ComposeFile.map(manifest.body().get("data")).keySet().stream().filter(name -> name.startsWith("LOOM_"))
                        .forEach(name -> variables.putIfAbsent(name, "k8s/" + manifest.file()));
            }
            for (Map<String, Object> container : manifest.containers()) {
                ComposeFile.list(container.get("env")).stream().map(ComposeFile::map)
                        .map(env -> String.valueOf(env.get("name"))).filter(name -> name.startsWith("LOOM_"))
                        .forEach(name -> variables.putIfAbsent(name, "k8s/" + manifest.file()));
            }
        }
        return variables;
    }

    /** A health check or probe: which service, on which container port, asks for which path. */
    record Probe(String module, int port, String path, String declaredIn) {
    }

    /** One Kubernetes object. */
    record Manifest(String file, Map<String, Object> body) {

        String kind() {
            return String.valueOf(body.get("kind"));
        }

        String name() {
            return String.valueOf(ComposeFile.map(body.get("metadata")).get("name"));
        }

        Map<String, Object> spec() {
            return ComposeFile.map(body.get("spec"));
        }

        /** The containers of a workload's pod template (Deployment, Job); empty for other kinds. */
        List<Map<String, Object>> containers() {
            Map<String, Object> podSpec = ComposeFile.map(ComposeFile.map(spec().get("template")).get("spec"));
            return ComposeFile.list(podSpec.get("containers")).stream().map(ComposeFile::map).toList();
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
