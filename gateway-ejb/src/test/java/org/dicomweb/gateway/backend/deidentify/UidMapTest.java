package org.dicomweb.gateway.backend.deidentify;

import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** {@link UidMapCases} on H2 (the demo's database), in memory. */
class UidMapTest extends UidMapCases {

    @Override
    DataSource freshSchema() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:deid-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        return dataSource;
    }
}
