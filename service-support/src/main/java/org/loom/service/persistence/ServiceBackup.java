package org.loom.service.persistence;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.loom.protocol.error.LoomException;
import org.loom.protocol.json.LoomJson;
import org.loom.protocol.time.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Exports and imports one service's whole state: every table of its own schema (Flyway's history aside) and whatever
 * {@link BackupContributor}s add. The export runs in one read-only repeatable-read transaction, so it is a consistent
 * snapshot of the service while writes continue; the import replaces every table in one transaction.
 *
 * <p>Part format, version {@value #FORMAT_VERSION}:
 * {@code {service, format_version, schema_version, exported_at, tables: {<table>: {columns: [..], rows: [[..]..]}},
 * extras: {<name>: ...}}}. Values are JSON numbers, strings, booleans and null; timestamps are RFC 3339 text, binary
 * columns base64.
 */
public class ServiceBackup {

    /** The version of the part format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final Logger log = LoggerFactory.getLogger(ServiceBackup.class);
    private static final String FLYWAY_HISTORY = "flyway_schema_history";
    private static final int PROGRESS_EVERY_ROWS = 10_000;
    private static final int BATCH = 500;

    private final String service;
    private final DataSource dataSource;
    private final TransactionTemplate readSnapshot;
    private final TransactionTemplate write;
    private final List<BackupContributor> contributors;

    public ServiceBackup(String service, DataSource dataSource, PlatformTransactionManager transactions,
            List<BackupContributor> contributors) {
        this.service = service;
        this.dataSource = dataSource;
        this.readSnapshot = new TransactionTemplate(transactions);
        this.readSnapshot.setReadOnly(true);
        this.readSnapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.write = new TransactionTemplate(transactions);
        this.contributors = List.copyOf(contributors);
    }

    /** The service name parts are labelled with. */
    public String service() {
        return service;
    }

    /** {@code {service, schema, schema_version, initialized, database}}. */
    public ObjectNode schema() {
        return readSnapshot.execute(status -> withConnection(connection -> {
            ObjectNode json = LoomJson.mapper().createObjectNode();
            json.put("service", service);
            json.put("database", connection.getMetaData().getDatabaseProductName());
            json.put("schema", connection.getSchema());
            String version = schemaVersion(connection);
            json.put("initialized", version != null);
            json.put("schema_version", version);
            return json;
        }));
    }

    /** Writes this service's part of a backup to {@code out}. */
    public void export(OutputStream out) {
        readSnapshot.executeWithoutResult(status -> withConnection(connection -> {
            long began = System.nanoTime();
            long total = 0;
            // The caller owns the stream (the gateway writes other services' parts after this one).
            OutputStream unclosed = new java.io.FilterOutputStream(out) {
                @Override
                public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
                    out.write(bytes, offset, length);
                }

                @Override
                public void close() throws java.io.IOException {
                    out.flush();
                }
            };
            try (JsonGenerator json = LoomJson.mapper().createGenerator(unclosed)) {
                json.writeStartObject();
                json.writeStringProperty("service", service);
                json.writeNumberProperty("format_version", FORMAT_VERSION);
                json.writeStringProperty("schema_version", schemaVersion(connection));
                json.writeStringProperty("exported_at", Timestamps.format(Instant.now()));
                json.writeName("tables");
                json.writeStartObject();
                for (String table : tables(connection)) {
                    total += exportTable(connection, table, json);
                }
                json.writeEndObject();
                json.writeName("extras");
                json.writeStartObject();
                for (BackupContributor contributor : contributors) {
                    json.writeName(contributor.name());
                    contributor.export(json);
                }
                json.writeEndObject();
                json.writeEndObject();
            }
            log.info("Backup of {}: {} rows exported in {} ms", service, total,
                    (System.nanoTime() - began) / 1_000_000);
            return null;
        }));
    }

    /**
     * Replaces this service's state with a part written by {@link #export}.
     *
     * @return {@code {service, tables, rows}}
     * @throws LoomException {@code ENVELOPE_INVALID} for a part of another service, another format, a newer schema or
     *                       tables and columns this service does not have; nothing is changed then
     */
    public ObjectNode restore(JsonNode part) {
        if (part == null || !part.isObject()) {
            throw LoomException.invalid("Backup part must be an object", LoomException.details("service", service));
        }
        JsonNode formatVersion = part.path("format_version");
        if (!formatVersion.isIntegralNumber() || !formatVersion.canConvertToInt()
                || formatVersion.intValue() != FORMAT_VERSION) {
            throw LoomException.invalid("Unsupported backup format version",
                    LoomException.details("service", service, "format_version",
                            formatVersion.isMissingNode() ? "" : shortened(LoomJson.write(formatVersion))));
        }
        JsonNode tables = part.path("tables");
        if (!tables.isObject()) {
            throw LoomException.invalid("Backup part has no tables", LoomException.details("service", service));
        }
        checkShape(part, tables);
        JsonNode extras = part.path("extras");
        for (BackupContributor contributor : contributors) {
            if (extras.has(contributor.name())) {
                contributor.check(extras.get(contributor.name()));
            }
        }
        ObjectNode result = write.execute(status -> withConnection(connection -> {
            String current = schemaVersion(connection);
            String backedUp = part.path("schema_version").isString() ? part.get("schema_version").stringValue() : null;
            if (backedUp != null && current != null && compareVersions(backedUp, current) > 0) {
                throw LoomException.invalid("Backup was taken from a newer schema than this node's",
                        LoomException.details("service", service, "backup_schema_version", backedUp,
                                "schema_version", current));
            }
            List<String> order = tables(connection);
            for (String name : tables.propertyNames()) {
                if (!order.contains(name)) {
                    throw LoomException.invalid("Backup names a table this service does not have",
                            LoomException.details("service", service, "table", name));
                }
            }
            // Children first when emptying, parents first when filling, so foreign keys hold throughout.
            for (int i = order.size() - 1; i >= 0; i--) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + order.get(i))) {
                    delete.executeUpdate();
                }
            }
            long rows = 0;
            for (String table : order) {
                if (tables.has(table)) {
                    try {
                        rows += importTable(connection, table, tables.get(table));
                    } catch (SQLException e) {
                        String state = refusedDataState(e);
                        if (state == null) {
                            throw e;
                        }
                        // Rows the tables refuse (a duplicate key, a missing required value, a value of the wrong
                        // kind): the document's fault. The transaction is rolled back, so nothing was replaced.
                        throw LoomException.invalid("Backup rows could not be imported into " + table,
                                LoomException.details("service", service, "table", table, "sql_state", state));
                    }
                }
                resetIdentities(connection, table);
            }
            ObjectNode answer = LoomJson.mapper().createObjectNode();
            answer.put("service", service);
            answer.put("tables", tables.size());
            answer.put("rows", rows);
            return answer;
        }));
        for (BackupContributor contributor : contributors) {
            if (extras.has(contributor.name())) {
                contributor.restore(extras.get(contributor.name()));
            }
        }
        log.info("Restore of {}: {} rows imported", service, result.path("rows").asLong());
        return result;
    }

    private long exportTable(Connection connection, String table, JsonGenerator json) throws SQLException {
        List<String> key = primaryKey(connection, table);
        String order = key.isEmpty() ? "" : " ORDER BY " + String.join(", ", key);
        long count = 0;
        try (PreparedStatement select = connection.prepareStatement("SELECT * FROM " + table + order);
             ResultSet rows = select.executeQuery()) {
            select.setFetchSize(1000);
            ResultSetMetaData meta = rows.getMetaData();
            json.writeName(table);
            json.writeStartObject();
            json.writeName("columns");
            json.writeStartArray();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                json.writeString(meta.getColumnName(c).toLowerCase(java.util.Locale.ROOT));
            }
            json.writeEndArray();
            json.writeName("rows");
            json.writeStartArray();
            while (rows.next()) {
                json.writeStartArray();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    writeValue(json, rows, c, meta.getColumnType(c));
                }
                json.writeEndArray();
                if (++count % PROGRESS_EVERY_ROWS == 0) {
                    log.info("Backup of {}: table {}, {} rows so far", service, table, count);
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return count;
    }

    private static void writeValue(JsonGenerator json, ResultSet rows, int column, int type) throws SQLException {
        switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
                long value = rows.getLong(column);
                if (rows.wasNull()) {
                    json.writeNull();
                } else {
                    json.writeNumber(value);
                }
            }
            case Types.BOOLEAN, Types.BIT -> {
                boolean value = rows.getBoolean(column);
                if (rows.wasNull()) {
                    json.writeNull();
                } else {
                    json.writeBoolean(value);
                }
            }
            case Types.TIMESTAMP_WITH_TIMEZONE, Types.TIMESTAMP -> {
                OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
                if (value == null) {
                    json.writeNull();
                } else {
                    json.writeString(value.toInstant().toString());
                }
            }
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
                byte[] value = rows.getBytes(column);
                if (value == null) {
                    json.writeNull();
                } else {
                    json.writeString(Base64.getEncoder().encodeToString(value));
                }
            }
            default -> {
                String value = rows.getString(column);
                if (value == null) {
                    json.writeNull();
                } else {
                    json.writeString(value);
                }
            }
        }
    }

    /**
     * Refuses, before anything is replaced, a part whose shape {@link #restore} cannot take: each table an object of
     * {@code columns} (an array of names) and {@code rows} (an array of arrays as long as the columns), a text
     * {@code schema_version}, an object of {@code extras}.
     */
    private void checkShape(JsonNode part, JsonNode tables) {
        JsonNode schemaVersion = part.get("schema_version");
        if (schemaVersion != null && !schemaVersion.isNull() && !schemaVersion.isString()) {
            throw LoomException.invalid("Backup schema_version must be a string",
                    LoomException.details("service", service, "field", "schema_version"));
        }
        JsonNode extras = part.get("extras");
        if (extras != null && !extras.isNull() && !extras.isObject()) {
            throw LoomException.invalid("Backup extras must be an object",
                    LoomException.details("service", service, "field", "extras"));
        }
        for (String table : tables.propertyNames()) {
            JsonNode data = tables.get(table);
            JsonNode columns = data.path("columns");
            JsonNode rows = data.path("rows");
            boolean namesOnly = columns.isArray();
            for (JsonNode column : columns) {
                namesOnly &= column.isString();
            }
            if (!data.isObject() || !namesOnly || !(rows.isArray() || rows.isMissingNode() || rows.isNull())
                    || (columns.isEmpty() && !rows.isEmpty())) {
                throw LoomException.invalid("Backup table must be {columns: [names], rows: [[values]]}",
                        LoomException.details("service", service, "table", table));
            }
            for (JsonNode row : rows) {
                if (!row.isArray() || row.size() != columns.size()) {
                    throw LoomException.invalid("Backup row does not match its columns",
                            LoomException.details("service", service, "table", table));
                }
            }
        }
    }

    /** The SQL state when the database refused the rows themselves (classes 22 data, 23 integrity), else null. */
    private static String refusedDataState(SQLException failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < 16; depth++) {
            if (current instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    String state = next.getSQLState();
                    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                        return state;
                    }
                    if (next.getNextException() == next) {
                        break;
                    }
                }
            }
            current = current.getCause();
        }
        return null;
    }

    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private long importTable(Connection connection, String table, JsonNode data) throws SQLException {
        Map<String, Integer> types = columnTypes(connection, table);
        List<String> columns = new ArrayList<>();
        for (JsonNode column : data.path("columns")) {
            String name = column.asString();
            if (!types.containsKey(name)) {
                throw LoomException.invalid("Backup names a column this service does not have",
                        LoomException.details("service", service, "table", table, "column", name));
            }
            columns.add(name);
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        long count = 0;
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (JsonNode row : data.path("rows")) {
                if (!row.isArray() || row.size() != columns.size()) {
                    throw LoomException.invalid("Backup row does not match its columns",
                            LoomException.details("service", service, "table", table));
                }
                for (int c = 0; c < columns.size(); c++) {
                    bind(insert, c + 1, row.get(c), types.get(columns.get(c)));
                }
                insert.addBatch();
                if (++count % BATCH == 0) {
                    insert.executeBatch();
                }
                if (count % PROGRESS_EVERY_ROWS == 0) {
                    log.info("Restore of {}: table {}, {} rows so far", service, table, count);
                }
            }
            insert.executeBatch();
        }
        return count;
    }

    private static void bind(PreparedStatement statement, int index, JsonNode value, int type) throws SQLException {
        if (value == null || value.isNull()) {
            statement.setNull(index, type);
            return;
        }
        try {
            switch (type) {
                case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT ->
                        statement.setLong(index, value.asLong());
                case Types.BOOLEAN, Types.BIT -> statement.setBoolean(index, value.asBoolean());
                case Types.TIMESTAMP_WITH_TIMEZONE, Types.TIMESTAMP -> statement.setObject(index,
                        OffsetDateTime.parse(value.asString()), Types.TIMESTAMP_WITH_TIMEZONE);
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
                        statement.setBytes(index, Base64.getDecoder().decode(value.asString()));
                default -> statement.setString(index, value.isString() ? value.stringValue() : LoomJson.write(value));
            }
        } catch (java.time.format.DateTimeParseException | IllegalArgumentException
                | tools.jackson.core.JacksonException e) {
            throw LoomException.invalid("Backup value does not fit its column", LoomException.details("index", index));
        }
    }

    /** Moves identity sequences past the imported ids, so new rows do not collide with restored ones. */
    private static void resetIdentities(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        boolean postgres = meta.getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        try (ResultSet columns = meta.getColumns(null, connection.getSchema(), table, "%")) {
            while (columns.next()) {
                if (!"YES".equalsIgnoreCase(columns.getString("IS_AUTOINCREMENT"))) {
                    continue;
                }
                String column = columns.getString("COLUMN_NAME");
                long next;
                try (PreparedStatement max = connection.prepareStatement(
                        "SELECT COALESCE(MAX(" + column + "), 0) + 1 FROM " + table);
                     ResultSet result = max.executeQuery()) {
                    result.next();
                    next = result.getLong(1);
                }
                String sql = postgres
                        ? "SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'), " + next
                                + ", false)"
                        : "ALTER TABLE " + table + " ALTER COLUMN " + column + " RESTART WITH " + next;
                try (PreparedStatement reset = connection.prepareStatement(sql)) {
                    reset.execute();
                }
            }
        }
    }

    /** The service's tables, parents before the tables referring to them. */
    private static List<String> tables(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = connection.getSchema();
        List<String> names = new ArrayList<>();
        try (ResultSet tables = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (tables.next()) {
                String name = tables.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT);
                if (!FLYWAY_HISTORY.equals(name)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (String name : names) {
            Set<String> referenced = new LinkedHashSet<>();
            try (ResultSet keys = meta.getImportedKeys(null, schema, name)) {
                while (keys.next()) {
                    String parent = keys.getString("PKTABLE_NAME").toLowerCase(java.util.Locale.ROOT);
                    if (!parent.equals(name)) {
                        referenced.add(parent);
                    }
                }
            }
            parents.put(name, referenced);
        }
        List<String> ordered = new ArrayList<>();
        while (ordered.size() < names.size()) {
            boolean progressed = false;
            for (String name : names) {
                if (!ordered.contains(name) && ordered.containsAll(parents.get(name))) {
                    ordered.add(name);
                    progressed = true;
                }
            }
            if (!progressed) {
                names.stream().filter(name -> !ordered.contains(name)).forEach(ordered::add);
            }
        }
        return ordered;
    }

    private static List<String> primaryKey(Connection connection, String table) throws SQLException {
        Map<Integer, String> columns = new java.util.TreeMap<>();
        try (ResultSet keys = connection.getMetaData().getPrimaryKeys(null, connection.getSchema(), table)) {
            while (keys.next()) {
                columns.put(keys.getInt("KEY_SEQ"), keys.getString("COLUMN_NAME"));
            }
        }
        return new ArrayList<>(columns.values());
    }

    private static Map<String, Integer> columnTypes(Connection connection, String table) throws SQLException {
        Map<String, Integer> types = new LinkedHashMap<>();
        try (ResultSet columns = connection.getMetaData().getColumns(null, connection.getSchema(), table, "%")) {
            while (columns.next()) {
                types.put(columns.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT),
                        columns.getInt("DATA_TYPE"));
            }
        }
        return types;
    }

    private static String schemaVersion(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet history = meta.getTables(null, connection.getSchema(), FLYWAY_HISTORY, new String[] {"TABLE"})) {
            if (!history.next()) {
                return null;
            }
        }
        String best = null;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT version FROM " + FLYWAY_HISTORY + " WHERE success = TRUE AND version IS NOT NULL");
             ResultSet versions = select.executeQuery()) {
            while (versions.next()) {
                String version = versions.getString(1);
                if (best == null || compareVersions(version, best) > 0) {
                    best = version;
                }
            }
        }
        return best;
    }

    static int compareVersions(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            long l = i < left.length ? parse(left[i]) : 0;
            long r = i < right.length ? parse(right[i]) : 0;
            if (l != r) {
                return Long.compare(l, r);
            }
        }
        return 0;
    }

    private static long parse(String part) {
        try {
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs on the transaction's connection, so every statement sees the transaction's snapshot. */
    private <T> T withConnection(ConnectionWork<T> work) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("backup of " + service + " failed: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
