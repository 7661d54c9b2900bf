package org.loom.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Finds a service's own {@code application.yml} (or {@code .yaml}, {@code .properties}) on a class path shared with
 * the other services.
 *
 * <p>Every service ships its settings as {@code application.yml} at the root of its jar. On the embedded node's class
 * path they all have the same name, and Spring Boot's default lookup would give every context the first one found,
 * the gateway's name and ports included. Each context is therefore told the exact files of its own jar, found by
 * comparing each candidate's container with the jar (or classes folder) its application class was loaded from.
 */
final class ServiceConfigFiles {

    /** In the order Spring Boot reads them within one location; the last file read wins on a conflict. */
    private static final List<String> FILE_NAMES = List.of("application.yaml", "application.yml",
            "application.properties");

    private ServiceConfigFiles() {
    }

    /**
     * The value of {@code spring.config.location} that makes a context read only its service's own files.
     *
     * @throws NodeStartupException when the service has no settings file of its own on the class path
     */
    static String locationOf(NodeService service) {
        Class<?> application = service.application();
        CodeSource source = application.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new NodeStartupException("cannot tell where " + service.name() + " was loaded from");
        }
        String container = container(source.getLocation().toExternalForm());
        List<String> own = new ArrayList<>();
        for (String fileName : FILE_NAMES) {
            for (URL candidate : resources(application.getClassLoader(), fileName)) {
                String url = candidate.toExternalForm();
                if (url.endsWith("/" + fileName)
                        && container(url.substring(0, url.length() - fileName.length())).equals(container)) {
                    own.add(url);
                }
            }
        }
        if (own.isEmpty()) {
            throw new NodeStartupException(service.name() + " has no application.yml or application.properties in "
                    + source.getLocation());
        }
        return String.join(",", own);
    }

    /**
     * The jar or folder a URL points into, spelled the same way whether it is a code source ({@code file:/x.jar},
     * {@code jar:nested:/node.jar/!BOOT-INF/lib/x.jar!/}) or the folder part of a resource inside it.
     */
    private static String container(String url) {
        String text = url;
        if (text.startsWith("jar:")) {
            text = text.substring("jar:".length());
        }
        while (text.endsWith("/") || text.endsWith("!")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    private static List<URL> resources(ClassLoader loader, String name) {
        try {
            return Collections.list(loader.getResources(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
