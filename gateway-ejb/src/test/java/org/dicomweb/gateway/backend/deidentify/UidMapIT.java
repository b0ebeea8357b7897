package org.dicomweb.gateway.backend.deidentify;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.dicomweb.gateway.testpeers.PostgresSchemas;

/** {@link UidMapCases} on the PostgreSQL peer, in a schema of its own ({@link PostgresSchemas}). */
class UidMapIT extends UidMapCases {

    private static final String SCHEMA = "deid_uid_schema_it";

    @Override
    DataSource freshSchema() throws SQLException {
        return PostgresSchemas.fresh(SCHEMA);
    }

}
