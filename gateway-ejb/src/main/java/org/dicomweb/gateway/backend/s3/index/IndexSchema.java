package org.dicomweb.gateway.backend.s3.index;

import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import org.dicomweb.gateway.error.GatewayBusyException;

/**
 * The index's schema, created and migrated by Flyway from db/s3-index before the index is first used (and again after
 * a failure, so that a database that was down at deployment does not need a redeployment). Flyway was chosen over
 * Hibernate's schema generation because migrations are versioned SQL a DBA can read and apply, every node of a
 * cluster may start at once (Flyway locks the history table), and a database migrated by a newer gateway is refused
 * rather than used.
 */
@ApplicationScoped
public class IndexSchema {

    public static final String DATASOURCE = "java:jboss/datasources/DicomwebGatewayDS";
    private static final Logger LOG = Logger.getLogger(IndexSchema.class.getName());

    @Resource(lookup = DATASOURCE)
    DataSource dataSource;

    private volatile boolean migrated;

    /** Migrates once; a failure is a 503 naming the database's trouble, and the next call tries again. */
    public void ensureMigrated() {
        if (migrated) {
            return;
        }
        synchronized (this) {
            if (migrated) {
                return;
            }
            try {
                MigrateResult result = Flyway.configure(IndexSchema.class.getClassLoader())
                        .dataSource(dataSource)
                        .locations("classpath:db/s3-index")
                        .table("s3_index_schema_history")
                        .load()
                        .migrate();
                LOG.info("S3 index schema at version " + result.targetSchemaVersion + " ("
                        + result.migrationsExecuted + " migrations applied now)");
                migrated = true;
            } catch (FlywayException | IllegalStateException e) {
                throw new GatewayBusyException("the S3 index's database (" + DATASOURCE
                        + ") cannot be migrated: " + firstLine(e));
            }
        }
    }

    /** Flyway's messages run over several lines (SQL state, error code); a reason is one line. */
    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
}
