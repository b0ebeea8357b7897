package org.dicomweb.gateway.backend.deidentify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UID map's migration and statements on a real database, made afresh for each test by {@link #freshSchema}. */
abstract class UidMapCases {

    private DataSource dataSource;

    abstract DataSource freshSchema() throws SQLException;

    @BeforeEach
    void fresh() throws SQLException {
        dataSource = freshSchema();
    }

    /** Another node, or this one after a restart: nothing remembered, only the table. */
    private UidMap node() {
        UidMap map = new UidMap();
        map.dataSource = dataSource;
        return map;
    }

    private int rows() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM deid_uid")) {
            count.next();
            return count.getInt(1);
        }
    }

    @Test
    void findsWhatAnotherNodeRecordedAndNothingElse() {
        Map<String, String> page = new LinkedHashMap<>();
        for (int i = 0; i < 250; i++) {
            page.put("2.25." + (1000 + i), "1.2.3." + i);
        }
        node().record("DEID", page);
        UidMap other = node();
        assertEquals(Optional.of("1.2.3.7"), other.original("DEID", "2.25.1007"));
        assertEquals(Optional.empty(), other.original("DEID", "2.25.999"), "never handed out");
        assertEquals(Optional.empty(), other.original("OTHER-DEID", "2.25.1007"), "handed out by another AE");
    }

    @Test
    void recordingTwiceKeepsOneRow() throws SQLException {
        UidMap first = node();
        first.record("DEID", Map.of("2.25.1", "1.2.3"));
        first.record("DEID", Map.of("2.25.1", "1.2.3", "2.25.2", "1.2.4"));
        node().record("DEID", Map.of("2.25.1", "1.2.3", "2.25.2", "1.2.4"));
        assertEquals(2, rows());
    }

    @Test
    void recordsNoRowForAUidKeptAsItIs() throws SQLException {
        node().record("DEID", Map.of("1.2.3", "1.2.3", "2.25.9", "1.2.9"));
        assertEquals(1, rows());
    }

    @Test
    void keepsARefusalWithItsReason() {
        UidMap map = node();
        map.record("DEID", Map.of("2.25.5", "1.2.5"));
        map.refuse("DEID", "2.25.5", "1.2.5", "BurnedInAnnotation is YES");
        map.refuse("DEID", "2.25.6", "1.2.6", "secondary capture");
        UidMap other = node();
        assertEquals(Optional.of("BurnedInAnnotation is YES"), other.refusal("DEID", "2.25.5"));
        assertEquals(Optional.of("secondary capture"), other.refusal("DEID", "2.25.6"));
        assertEquals(Optional.of("1.2.6"), other.original("DEID", "2.25.6"));
        map.record("DEID", Map.of("2.25.7", "1.2.7"));
        assertEquals(Optional.empty(), other.refusal("DEID", "2.25.7"));
    }
}
