package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction the embedded database reported committed is still there after the process is killed with
 * {@code kill -9}: the node answers {@code 201} only after its commit, so a commit that is lost with the process is an
 * accepted envelope lost.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class H2FileDatabaseDurabilityTest {

    /** Rows the writer must have reported committed before it is killed, in the middle of committing more. */
    private static final int REPORTED_BEFORE_KILL = 3000;

    @TempDir
    Path dataDir;

    @Test
    void everyCommitReportedBeforeKillMinusNineIsFoundAfterwards() throws Exception {
        Process writer = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), CommitWriter.class.getName(), dataDir.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long reported = 0;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                reported = Long.parseLong(line.trim());
                if (reported >= REPORTED_BEFORE_KILL) {
                    writer.destroyForcibly();
                    break;
                }
            }
        } finally {
            writer.destroyForcibly();
            writer.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(reported).as("rows the writer reported committed").isGreaterThanOrEqualTo(REPORTED_BEFORE_KILL);

        try (Connection connection = DriverManager.getConnection(new H2FileDatabase(dataDir).jdbcUrl(), "sa", "");
                ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM committed_row")) {
            rows.next();
            assertThat(rows.getLong(1)).as("rows found after kill -9").isGreaterThanOrEqualTo(reported);
        }
    }

    /**
     * Commits one row per transaction, printing each row's number once its commit has returned, with the file
     * maintenance running beside it as in the node.
     */
    public static final class CommitWriter {

        public static void main(String[] args) throws Exception {
            H2FileDatabase database = new H2FileDatabase(Path.of(args[0]));
            try (H2Housekeeping housekeeping = H2Housekeeping.start(database);
                    Connection connection = DriverManager.getConnection(database.jdbcUrl(), "sa", "")) {
                if (!housekeeping.active()) {
                    throw new IllegalStateException("H2 file maintenance is not running");
                }
                connection.createStatement().execute(
                        "CREATE TABLE committed_row (id BIGINT PRIMARY KEY, payload VARCHAR(1000))");
                connection.setAutoCommit(false);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO committed_row VALUES (?, ?)");
                String payload = "x".repeat(500);
                for (long id = 1; ; id++) {
                    insert.setLong(1, id);
                    insert.setString(2, payload);
                    insert.executeUpdate();
                    connection.commit();
                    System.out.println(id);
                    System.out.flush();
                }
            }
        }
    }
}
