package org.dicomweb.gateway.core.changefeed;

import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** {@link ChangeFeedSchemaCases} on H2 (the demo's database), in memory. */
class ChangeFeedSchemaTest extends ChangeFeedSchemaCases {

    @Override
    DataSource freshSchema() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:changefeed;DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        return dataSource;
    }

    @Override
    void shortLockTimeout(Statement statement) throws SQLException {
        statement.execute("SET LOCK_TIMEOUT 200");
    }

    @Override
    String lockTimeoutState() {
        return "HYT00";
    }
}
