package org.dicomweb.gateway.backend.s3.index;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import org.dicomweb.gateway.core.db.SchemaMigrations;

/**
 * The index's schema, created and migrated by Flyway from db/s3-index before the index is first used (and again after
 * a failure, so that a database that was down at deployment does not need a redeployment).
 */
@ApplicationScoped
public class IndexSchema {

    public static final String DATASOURCE = SchemaMigrations.DATASOURCE;

    @Resource(lookup = DATASOURCE)
    DataSource dataSource;

    private final SchemaMigrations migrations = new SchemaMigrations("the S3 index", "db/s3-index",
            "s3_index_schema_history");

    /** Migrates once; a failure is a 503 naming the database's trouble, and the next call tries again. */
    public void ensureMigrated() {
        migrations.ensureMigrated(dataSource);
    }
}
