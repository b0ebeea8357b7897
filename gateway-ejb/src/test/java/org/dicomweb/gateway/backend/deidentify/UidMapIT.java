package org.dicomweb.gateway.backend.deidentify;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link UidMapCases} on the PostgreSQL peer (scripts/peers.sh postgres; another server with
 * -Dgateway.test.db.url, user and password as the datasource's), in a schema of its own, made afresh, so that the
 * gateway's own tables in the same database are not touched.
 */
class UidMapIT extends UidMapCases {

    private static final String SCHEMA = "deid_uid_schema_it";

    @Override
    DataSource freshSchema() throws SQLException {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(System.getProperty("gateway.test.db.url",
                "jdbc:postgresql://127.0.0.1:15432/dicomweb_gateway"));
        dataSource.setUser(System.getProperty("gateway.test.db.user", "gateway"));
        dataSource.setPassword(System.getProperty("gateway.test.db.password", "gateway"));
        dataSource.setConnectTimeout(5);
        dataSource.setSocketTimeout(30);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
        }
        dataSource.setCurrentSchema(SCHEMA);
        return dataSource;
    }

}
