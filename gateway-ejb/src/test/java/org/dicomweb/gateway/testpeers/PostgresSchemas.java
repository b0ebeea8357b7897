package org.dicomweb.gateway.testpeers;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * Schemas of their own on the PostgreSQL peer (scripts/peers.sh postgres; another server with -Dgateway.test.db.url,
 * user and password as the datasource's), made afresh for each test, so that the gateway's own tables in the same
 * database are not touched.
 */
public final class PostgresSchemas {

    private PostgresSchemas() {
    }

    /** A data source whose current schema is {@code schema}, dropped and created empty first. */
    public static DataSource fresh(String schema) throws SQLException {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(System.getProperty("gateway.test.db.url",
                "jdbc:postgresql://127.0.0.1:15432/dicomweb_gateway"));
        dataSource.setUser(System.getProperty("gateway.test.db.user", "gateway"));
        dataSource.setPassword(System.getProperty("gateway.test.db.password", "gateway"));
        dataSource.setConnectTimeout(5);
        dataSource.setSocketTimeout(30);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        }
        dataSource.setCurrentSchema(schema);
        return dataSource;
    }
}
