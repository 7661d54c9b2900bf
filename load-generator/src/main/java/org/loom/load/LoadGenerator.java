package org.loom.load;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import org.loom.protocol.json.LoomJson;

/**
 * The command: {@code java -jar load-generator/target/loom-load.jar [--name value]...}. Prints progress and a
 * summary, writes the JSON report to {@code --output}. Exits 0 when the run completed and its checks held, 1 when
 * the read-back or a render disproved what the node had answered, 2 on bad arguments or a node that could not be
 * used.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args)));
    }

    /** Runs the command with these arguments and returns its exit status. */
    public static int run(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            System.out.print(LoadOptions.usage());
            return 0;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loom-load: " + e.getMessage());
            return 2;
        }
        try {
            LoadReport report = new LoadRun(options, System.out).execute();
            Files.writeString(options.output(), LoomJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(report.toJson()) + System.lineSeparator());
            System.out.print(report.summary());
            System.out.println("  report: " + options.output().toAbsolutePath());
            return report.verified() ? 0 : 1;
        } catch (LoadFailure e) {
            System.err.println("loom-load: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("loom-load: cannot write the report " + options.output() + ": " + e.getMessage());
            return 2;
        }
    }
}
