package org.dicomweb.gateway.core.tasks.store;

import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import org.dicomweb.gateway.core.db.SchemaMigrations;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.GatewayException;

/**
 * The way to the {@link TaskStore}: the schema migrated by Flyway from db/tasks before the first use (and again after
 * a failure, so that a database that was down at deployment needs no redeployment), and any failure of the database
 * a {@link TaskDatabaseException} naming what was being done.
 */
@ApplicationScoped
public class TaskDatabase {

    @Resource(lookup = SchemaMigrations.DATASOURCE)
    DataSource dataSource;

    private final SchemaMigrations migrations = new SchemaMigrations("the task rows", "db/tasks",
            "tasks_schema_history");

    public <T> T call(String what, Supplier<T> work) {
        try {
            migrations.ensureMigrated(dataSource);
        } catch (GatewayBusyException e) {
            throw new TaskDatabaseException(e.getMessage());
        }
        try {
            return work.get();
        } catch (GatewayException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TaskDatabaseException("the task rows' database (" + SchemaMigrations.DATASOURCE + ") failed "
                    + what + ": " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // one line: it becomes a reason, and drivers' messages may run over several
        return root.getClass().getSimpleName() + ": " + String.valueOf(root.getMessage()).lines().findFirst()
                .orElse("");
    }
}
