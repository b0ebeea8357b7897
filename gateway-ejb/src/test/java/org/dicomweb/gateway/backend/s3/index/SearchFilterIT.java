package org.dicomweb.gateway.backend.s3.index;

import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link SearchFilterCases} on the PostgreSQL peer (scripts/peers.sh postgres; another server with
 * -Dgateway.test.db.url, user and password as the datasource's), in a schema of its own so that the gateway's index
 * in the same database is not touched.
 */
class SearchFilterIT extends SearchFilterCases {

    private static final String SCHEMA = "search_filter_it";
    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

    SearchFilterIT() {
        dataSource.setURL(System.getProperty("gateway.test.db.url",
                "jdbc:postgresql://127.0.0.1:15432/dicomweb_gateway"));
        dataSource.setUser(System.getProperty("gateway.test.db.user", "gateway"));
        dataSource.setPassword(System.getProperty("gateway.test.db.password", "gateway"));
        dataSource.setCurrentSchema(SCHEMA);
        dataSource.setConnectTimeout(5);
        dataSource.setSocketTimeout(30);
        migrate(dataSource, SCHEMA);
    }

    @Override
    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }
}
