package org.dicomweb.gateway.backend.s3.index;

import java.sql.Connection;
import java.sql.SQLException;

import org.h2.jdbcx.JdbcDataSource;

/** {@link SearchFilterCases} on H2 (the demo's database), in memory, migrated by the index's scripts. */
class SearchFilterTest extends SearchFilterCases {

    private final JdbcDataSource dataSource = new JdbcDataSource();

    SearchFilterTest() {
        dataSource.setURL("jdbc:h2:mem:search-filter;DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        migrate(dataSource, null);
    }

    @Override
    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }
}
