package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database file stays near the size of its data while the node writes: with every commit written before
 * it returns, only {@link H2Housekeeping} reclaims the space of the pages each commit replaced.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class H2HousekeepingTest {

    /** Commits of the churn below; each appends ten outbox-like rows and deletes the ten before them. */
    private static final int COMMITS = Integer.getInteger("churn.commits", 30_000);

    @TempDir
    Path withMaintenance;

    @TempDir
    Path without;

    @Test
    void theMaintenanceStepOfThisH2VersionIsReachable() {
        try (H2Housekeeping housekeeping = H2Housekeeping.start(new H2FileDatabase(withMaintenance))) {
            assertThat(housekeeping.active()).as("H2's maintenance step found and running").isTrue();
        }
    }

    @Test
    void aChurningDatabaseStaysSmallWithTheMaintenanceAndGrowsWithoutIt() throws Exception {
        long kept;
        H2FileDatabase maintained = new H2FileDatabase(withMaintenance);
        // Steps closer together than the node's, so that the few seconds of churn see many of them.
        try (H2Housekeeping housekeeping = H2Housekeeping.start(maintained, 100)) {
            kept = churn(maintained);
        }
        long grown = churn(new H2FileDatabase(without));

        assertThat(kept).as("file size with maintenance (%d bytes without)", grown).isLessThan(grown / 2);
    }

    /**
     * Appends and deletes rows as the outbox does, with a table that keeps growing beside it as the envelopes do, and
     * returns the file's size. H2 only reuses space its retention time (45 s by default) no longer protects; the
     * churn sets it to 0 so that a short run shows what hours of a busy node would.
     */
    private static long churn(H2FileDatabase database) throws Exception {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("SET RETENTION_TIME 0");
            statement.execute("CREATE TABLE queued (id BIGINT PRIMARY KEY, payload VARCHAR(2000))");
            statement.execute("CREATE TABLE kept (id BIGINT PRIMARY KEY, payload VARCHAR(2000))");
            connection.setAutoCommit(false);
            PreparedStatement queue = connection.prepareStatement("INSERT INTO queued VALUES (?, ?)");
            PreparedStatement keep = connection.prepareStatement("INSERT INTO kept VALUES (?, ?)");
            PreparedStatement sent = connection.prepareStatement("DELETE FROM queued WHERE id < ?");
            String payload = "x".repeat(1500);
            long id = 0;
            for (int commit = 0; commit < COMMITS; commit++) {
                for (int row = 0; row < 10; row++) {
                    queue.setLong(1, ++id);
                    queue.setString(2, payload);
                    queue.executeUpdate();
                }
                keep.setLong(1, commit);
                keep.setString(2, payload);
                keep.executeUpdate();
                sent.setLong(1, id - 10);
                sent.executeUpdate();
                connection.commit();
            }
        }
        return Files.size(Path.of(database.location()));
    }
}
