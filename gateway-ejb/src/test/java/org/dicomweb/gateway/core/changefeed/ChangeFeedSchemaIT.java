package org.dicomweb.gateway.core.changefeed;

import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.dicomweb.gateway.testpeers.PostgresSchemas;

/** {@link ChangeFeedSchemaCases} on the PostgreSQL peer, in a schema of its own ({@link PostgresSchemas}). */
class ChangeFeedSchemaIT extends ChangeFeedSchemaCases {

    private static final String SCHEMA = "changefeed_schema_it";

    @Override
    DataSource freshSchema() throws SQLException {
        return PostgresSchemas.fresh(SCHEMA);
    }

    @Override
    void shortLockTimeout(Statement statement) throws SQLException {
        statement.execute("SET lock_timeout = '200ms'");
    }

    @Override
    String lockTimeoutState() {
        return "55P03";
    }
}
