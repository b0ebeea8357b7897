package org.dicomweb.gateway.core.tasks.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.db.SchemaMigrations;

/**
 * db/tasks on H2 (the demo's database; the Arquillian tests run it on PostgreSQL): it migrates, and the keys the
 * store relies on hold: one row per taskId, one task_instance row per instance of a task, removed with the task.
 */
class TaskSchemaTest {

    private static final String TASK = "insert into task (task_id, priority, request_json, state, created_at,"
            + " updated_at, scheduled_at, attempts, completed, failed, warning, cancel_requested) values"
            + " ('t1', 4, '{}', 'SCHEDULED', current_timestamp, current_timestamp, current_timestamp, 0, 0, 0, 0,"
            + " false)";
    private static final String INSTANCE = "insert into task_instance (task_id, sop_instance_uid, outcome)"
            + " values ('t1', '1.2.3', 'DELIVERED')";

    @Test
    void migratesAndKeepsOneRowPerTaskAndInstance() throws SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:task-schema;DB_CLOSE_DELAY=-1");
        new SchemaMigrations("the task rows", "db/tasks", "tasks_schema_history").ensureMigrated(dataSource);
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.executeUpdate(TASK);
            assertThrows(SQLException.class, () -> sql.executeUpdate(TASK), "a second row with the taskId");
            sql.executeUpdate(INSTANCE);
            assertThrows(SQLException.class, () -> sql.executeUpdate(INSTANCE), "the instance recorded twice");
            sql.executeUpdate("delete from task where task_id = 't1'");
            try (ResultSet left = sql.executeQuery("select count(*) from task_instance")) {
                left.next();
                assertEquals(0, left.getInt(1), "the task's instances go with it");
            }
        }
    }
}
