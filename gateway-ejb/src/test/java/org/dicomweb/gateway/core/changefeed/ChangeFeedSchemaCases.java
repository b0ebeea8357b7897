package org.dicomweb.gateway.core.changefeed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/**
 * db/changefeed on each database the gateway supports (the same SQL): it migrates a schema that holds other
 * features' tables already, the sequence is an identity, and the writer lock ChangeFeedRows takes keeps a second
 * writer out until the first commits (so sequences commit in their order).
 */
abstract class ChangeFeedSchemaCases {

    private static final String LOCK = "SELECT id FROM change_feed_writer WHERE id = 1 FOR UPDATE";

    /** An empty schema of the test's own. */
    abstract DataSource freshSchema() throws SQLException;

    /** Makes the connection's lock waits end after a fraction of a second. */
    abstract void shortLockTimeout(Statement statement) throws SQLException;

    /** The SQL state of a lock wait that timed out. */
    abstract String lockTimeoutState();

    @Test
    void aSecondWriterWaitsForTheFirstToCommit() throws SQLException {
        DataSource dataSource = freshSchema();
        try (Connection other = dataSource.getConnection(); Statement statement = other.createStatement()) {
            // another feature's table: the schema is not empty when the change feed first migrates it
            statement.execute("CREATE TABLE other_feature (id INTEGER PRIMARY KEY)");
        }
        ChangeFeed.schema().ensureMigrated(dataSource);
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            try (Statement statement = second.createStatement()) {
                shortLockTimeout(statement);
            }
            lockAndInsert(first, "1.2.3.1");
            SQLException locked = assertThrows(SQLException.class, () -> lockAndInsert(second, "1.2.3.2"));
            assertEquals(lockTimeoutState(), locked.getSQLState(), "the lock wait timed out: " + locked);
            second.rollback();
            first.commit();
            lockAndInsert(second, "1.2.3.2");
            second.commit();
            assertEquals(List.of("1:1.2.3.1", "2:1.2.3.2"), rows(first));
        }
    }

    private static void lockAndInsert(Connection connection, String sop) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery(LOCK).close();
            statement.executeUpdate("INSERT INTO change_feed (recorded_at, aet, origin, study_instance_uid,"
                    + " series_instance_uid, sop_instance_uid, sop_class_uid) VALUES (CURRENT_TIMESTAMP, 'S3',"
                    + " 'STOW-RS', '1.2', '1.2.3', '" + sop + "', '1.2.840.10008.5.1.4.1.1.7')");
        }
    }

    private static List<String> rows(Connection connection) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT sequence, sop_instance_uid FROM change_feed ORDER BY sequence")) {
            while (result.next()) {
                rows.add(result.getLong(1) + ":" + result.getString(2));
            }
        }
        return rows;
    }
}
