package org.loom.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the packaged jars of this build are, found from the repository root. */
final class ServiceJars {

    private ServiceJars() {
    }

    /** The repository root: the nearest folder above the working directory holding {@code docker-compose.yml}. */
    static Path repositoryRoot() {
        Path folder = Path.of("").toAbsolutePath();
        while (folder != null && !Files.exists(folder.resolve("docker-compose.yml"))) {
            folder = folder.getParent();
        }
        if (folder == null) {
            throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return folder;
    }

    /** A service module's runnable jar, {@code <module>/target/<module>-<version>-exec.jar}. */
    static Path execJar(String module) {
        Path target = repositoryRoot().resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().startsWith(module + "-")
                    && file.getFileName().toString().endsWith("-exec.jar")).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one exec jar in " + target + ", found " + jars
                        + " (run the tests through the reactor: ./mvnw -B -pl system-tests -am verify)");
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("no build output in " + target + "; package " + module + " first", e);
        }
    }

    /** The embedded node's runnable jar, {@code launcher/target/loom-node.jar}, as the README runs it. */
    static Path embeddedNodeJar() {
        Path jar = repositoryRoot().resolve("launcher/target/loom-node.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; package the launcher module first");
        }
        return jar;
    }

    /** The {@code java} of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
