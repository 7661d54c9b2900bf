package org.loom.launcher;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 file from growing without bound.
 *
 * <p>H2 reclaims the space of old versions of its pages (compacting sparse chunks, reusing free ones) on the thread
 * that writes delayed commits, and it has no such thread when every commit is written before it returns
 * ({@code WRITE_DELAY=0}, which the node needs so that a {@code 201} survives a crash). Without it the file grew by
 * the whole of every commit's rewritten pages: about 10 GB for 110,000 envelopes. This runs the same maintenance step
 * H2's own thread would, every {@value #INTERVAL_MS} ms, on a thread of its own.
 *
 * <p>The step is not public API; it is reached by reflection on the H2 version the node ships with, and
 * {@code H2HousekeepingTest} fails if a new version moves it. Should it be missing at run time the node still runs
 * (commits stay durable) and logs a warning that the file will grow.
 *
 * <p>It holds a connection of its own, so the database stays open until {@link #close()}, which the node calls after
 * its services stopped.
 */
final class H2Housekeeping implements AutoCloseable {

    /** Between steps; more often kept the file a little smaller and cost a tenth more CPU under full load. */
    static final long INTERVAL_MS = 1000;

    private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);

    private final Connection connection;
    private final Thread worker;
    private volatile boolean running = true;

    private H2Housekeeping(Connection connection, FileStore<?> store, Method step, long intervalMs) {
        this.connection = connection;
        this.worker = new Thread(() -> run(store, step, intervalMs), "h2-housekeeping");
        this.worker.setDaemon(true);
    }

    /**
     * Opens the database and starts the maintenance; an instance that only holds the connection when H2's step cannot
     * be reached.
     *
     * @throws NodeStartupException when the database cannot be opened
     */
    static H2Housekeeping start(H2FileDatabase database) {
        return start(database, INTERVAL_MS);
    }

    /** {@link #start(H2FileDatabase)} with another interval between steps. */
    static H2Housekeeping start(H2FileDatabase database, long intervalMs) {
        Connection connection;
        try {
            connection = DriverManager.getConnection(database.jdbcUrl(), "sa", "");
        } catch (SQLException e) {
            throw new NodeStartupException("cannot open the database at " + database.location() + ": "
                    + e.getMessage(), e);
        }
        FileStore<?> store = null;
        Method step = null;
        try {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            store = session.getDatabase().getStore().getMvStore().getFileStore();
            step = FileStore.class.getDeclaredMethod("writeInBackground");
            step.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException | SQLException e) {
            log.warn("H2's file maintenance cannot be run ({}); the database file at {} will grow with every commit"
                    + " while the node runs (H2 compacts it only when it closes)", e.toString(), database.location());
            store = null;
        }
        H2Housekeeping housekeeping = new H2Housekeeping(connection, store, step, intervalMs);
        if (store != null) {
            housekeeping.worker.start();
        }
        return housekeeping;
    }

    private void run(FileStore<?> store, Method step, long intervalMs) {
        while (running) {
            try {
                TimeUnit.MILLISECONDS.sleep(intervalMs);
                step.invoke(store);
            } catch (InterruptedException e) {
                return;
            } catch (ReflectiveOperationException | RuntimeException e) {
                if (!running) {
                    return;
                }
                // H2's own thread logs and carries on after a failed step; a closed store ends the loop above.
                log.warn("H2 file maintenance step failed: {}", e.getCause() != null ? e.getCause() : e);
            }
        }
    }

    /** Whether the maintenance thread runs (false when H2's step could not be reached). */
    boolean active() {
        return worker.isAlive();
    }

    /** Stops the maintenance and closes the connection; the database closes with the last connection. */
    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Closing the database connection failed: {}", e.getMessage());
        }
    }
}
