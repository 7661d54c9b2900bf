package org.loom.gateway.web;

import java.sql.Connection;
import javax.sql.DataSource;

/** Ready when a pooled connection to the gateway's database passes a validity check. */
final class DatabaseReadinessCheck implements ReadinessCheck {

    private final DataSource dataSource;
    private final int timeoutSeconds;

    DatabaseReadinessCheck(DataSource dataSource, long timeoutMs) {
        this.dataSource = dataSource;
        this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeoutMs + 999) / 1000));
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public boolean isReady() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(timeoutSeconds);
        }
    }
}
