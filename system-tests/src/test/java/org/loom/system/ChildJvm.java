package org.loom.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by a test from a runnable jar, with its output in a log file. Every child still alive when the test JVM
 * exits is killed, so a failed or interrupted test leaves no process behind.
 */
final class ChildJvm {

    /** Small heaps and a quick start: several of these share two cores with the test. */
    static final List<String> JVM_FLAGS = List.of("-Xmx320m", "-Xss512k", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "loom-child-jvm-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <flags> -jar <jar>} with exactly the environment given (plus {@code PATH}), appending its
     * output to {@code log}.
     */
    static ChildJvm start(String name, Path jar, Map<String, String> environment, Path log) {
        return start(name, jar, JVM_FLAGS, environment, log);
    }

    /** {@link #start(String, Path, Map, Path)} with other JVM flags. */
    static ChildJvm start(String name, Path jar, List<String> jvmFlags, Map<String, String> environment, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ServiceJars.java());
        command.addAll(jvmFlags);
        command.add("-jar");
        command.add(jar.toString());
        return start(name, command, environment, log);
    }

    /**
     * Starts {@code java <flags> -cp <this JVM's class path> <mainClass> <arguments>}: a helper process (a broker) built
     * from the classes the tests already have.
     */
    static ChildJvm startMain(String name, Class<?> mainClass, List<String> arguments, List<String> jvmFlags,
                              Path log) {
        List<String> command = new ArrayList<>();
        command.add(ServiceJars.java());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(arguments);
        return start(name, command, Map.of(), log);
    }

    private static ChildJvm start(String name, List<String> command, Map<String, String> environment, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            Process process = builder.start();
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            return new ChildJvm(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /**
     * Polls {@code url} until it answers {@code 200}; fails at once when the process exits, and at the deadline.
     *
     * @return how long it took
     */
    Duration awaitHttpOk(String url, Duration timeout) {
        long began = System.nanoTime();
        long deadline = began + timeout.toNanos();
        int lastStatus = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before " + url
                        + " answered; log " + log + ":\n" + tail());
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                lastStatus = response.statusCode();
                if (lastStatus == 200) {
                    return Duration.ofNanos(System.nanoTime() - began);
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            pause(Duration.ofMillis(250));
        }
        throw new AssertionError(name + " did not answer 200 at " + url + " within " + timeout.toSeconds()
                + " s (last status " + lastStatus + "); log " + log + ":\n" + tail());
    }

    /** SIGTERM, then waits for a clean exit; SIGKILL if it does not come in time. Returns the exit code. */
    int stop(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code kill -9}: the process gets no chance to finish anything. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A port free at this moment on the loopback interface. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the log, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits between two polls of a condition that has its own deadline. */
    static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
