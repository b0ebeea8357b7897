package org.dicomweb.gateway.core.db;

import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import org.dicomweb.gateway.error.GatewayBusyException;

/**
 * Flyway over the gateway's datasource, one set of migrations per feature (its own classpath location and history
 * table, so that each can evolve alone). Flyway was chosen over Hibernate's schema generation because migrations are
 * versioned SQL a DBA can read and apply, every node of a cluster may start at once (Flyway locks the history table),
 * and a database migrated by a newer gateway is refused rather than used.
 */
public final class SchemaMigrations {

    public static final String DATASOURCE = "java:jboss/datasources/DicomwebGatewayDS";
    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    private final String what;
    private final String location;
    private final String historyTable;
    private volatile boolean migrated;

    /** {@code what} names the feature in messages ("the S3 index"); {@code location} e.g. {@code db/s3-index}. */
    public SchemaMigrations(String what, String location, String historyTable) {
        this.what = what;
        this.location = location;
        this.historyTable = historyTable;
    }

    /** Migrates once; a failure is a 503 naming the database's trouble, and the next call tries again. */
    public void ensureMigrated(DataSource dataSource) {
        if (migrated) {
            return;
        }
        synchronized (this) {
            if (migrated) {
                return;
            }
            try {
                MigrateResult result = Flyway.configure(SchemaMigrations.class.getClassLoader())
                        .dataSource(dataSource)
                        .locations("classpath:" + location)
                        .table(historyTable)
                        // The schema holds the other features' tables: without a baseline Flyway refuses a non-empty
                        // schema that has no history table of this feature yet. Version 0, so that V1 still runs.
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .load()
                        .migrate();
                LOG.info(what + ": schema at version " + result.targetSchemaVersion + " ("
                        + result.migrationsExecuted + " migrations applied now)");
                migrated = true;
            } catch (FlywayException | IllegalStateException e) {
                throw new GatewayBusyException(what + ": its database (" + DATASOURCE + ") cannot be migrated: "
                        + firstLine(e));
            }
        }
    }

    /** Flyway's messages run over several lines (SQL state, error code); a reason is one line. */
    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
}
