package org.loom.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code docker-compose.yml} as the tests read it: which containers run a LOOM service module, with which environment,
 * secrets, image and health check. Merge keys ({@code <<: *anchor}) are resolved by the YAML loader.
 */
final class ComposeFile {

    /** {@code ${NAME:-default}} or {@code ${NAME}}: compose's interpolation, resolved here to the default. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final Map<String, Object> document;

    private ComposeFile(Map<String, Object> document) {
        this.document = document;
    }

    static ComposeFile read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            return new ComposeFile(document);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** Every compose service by name. */
    Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(document.get("services")).forEach((name, definition) -> services.put(name, map(definition)));
        return services;
    }

    /** The top-level member {@code name} (secrets, volumes, ...) as a map. */
    Map<String, Object> section(String name) {
        return map(document.get(name));
    }

    /** The compose services built from a module of this repository ({@code build.args.SERVICE}), by module name. */
    Map<String, ComposeService> loomServices() {
        Map<String, ComposeService> loom = new LinkedHashMap<>();
        services().forEach((name, definition) -> {
            Map<String, Object> build = map(definition.get("build"));
            Object module = map(build.get("args")).get("SERVICE");
            if (module != null) {
                loom.put(module.toString(), new ComposeService(name, module.toString(), definition));
            }
        });
        return loom;
    }

    /** One compose service that runs a LOOM module. */
    record ComposeService(String name, String module, Map<String, Object> definition) {

        String image() {
            return String.valueOf(definition.get("image"));
        }

        /** The environment with compose's {@code ${VAR:-default}} resolved to the default, as without a .env file. */
        Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>();
            map(definition.get("environment")).forEach((key, value) ->
                    environment.put(key, resolveDefaults(value == null ? "" : value.toString())));
            return environment;
        }

        /** The file names secrets are mounted under in {@code /run/secrets}, by secret name. */
        Map<String, String> secretTargets() {
            Map<String, String> targets = new LinkedHashMap<>();
            for (Object entry : list(definition.get("secrets"))) {
                if (entry instanceof Map<?, ?> long_) {
                    String source = String.valueOf(long_.get("source"));
                    Object target = long_.get("target");
                    targets.put(source, target == null ? source : target.toString());
                } else {
                    targets.put(entry.toString(), entry.toString());
                }
            }
            return targets;
        }

        /** The HTTP path the health check asks for, if it is a plain {@code curl} of a loopback URL. */
        Optional<ProbeTarget> healthCheck() {
            List<Object> test = list(map(definition.get("healthcheck")).get("test"));
            for (Object part : test) {
                Matcher url = Pattern.compile("https?://[^/:]+:(\\d+)(/\\S*)").matcher(part.toString());
                if (url.find()) {
                    return Optional.of(new ProbeTarget(Integer.parseInt(url.group(1)), url.group(2)));
                }
            }
            return Optional.empty();
        }
    }

    /** A port and path some probe asks for. */
    record ProbeTarget(int port, String path) {
    }

    static String resolveDefaults(String value) {
        Matcher matcher = INTERPOLATION.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(
                    matcher.group(2) == null ? "" : matcher.group(2)));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : new ArrayList<>();
    }
}
