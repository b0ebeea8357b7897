package org.dicomweb.gateway.backend.deidentify;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import org.dicomweb.gateway.core.db.DatabaseFailures;
import org.dicomweb.gateway.core.db.SchemaMigrations;
import org.dicomweb.gateway.error.GatewayBusyException;

/**
 * The de-identifying AEs' UID map (table deid_uid, db/deid-uids): which original UID each handed-out pseudonym
 * stands for, so that a client naming a pseudonym reaches the original at the source. The table is the truth (shared
 * by the nodes of a cluster, kept across restarts); {@link RecentUids} in front only saves the database the pairs
 * this node wrote or read lately. Each call is one short autocommit exchange, never inside a transfer's transaction; a
 * failing database is a 503 naming what was being done.
 */
@ApplicationScoped
public class UidMap {

    /** Pairs remembered per node: ~150 bytes each, so a few MB, enough for the studies a viewer session walks. */
    static final int RECENT = 20_000;
    private static final String UNIQUE_VIOLATION = "23505";
    /** Keeps the first row: a pseudonym is a keyed hash of its original, so a second writer writes the same pair. */
    private static final String RECORD = "MERGE INTO deid_uid d USING (VALUES (CAST(? AS VARCHAR(16)),"
            + " CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)))) AS v (aet, pseudonym_uid, original_uid)"
            + " ON d.aet = v.aet AND d.pseudonym_uid = v.pseudonym_uid"
            + " WHEN NOT MATCHED THEN INSERT (aet, pseudonym_uid, original_uid)"
            + " VALUES (v.aet, v.pseudonym_uid, v.original_uid)";
    private static final String REFUSE = "MERGE INTO deid_uid d USING (VALUES (CAST(? AS VARCHAR(16)),"
            + " CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(256))))"
            + " AS v (aet, pseudonym_uid, original_uid, refused_reason)"
            + " ON d.aet = v.aet AND d.pseudonym_uid = v.pseudonym_uid"
            + " WHEN MATCHED THEN UPDATE SET refused_reason = v.refused_reason"
            + " WHEN NOT MATCHED THEN INSERT (aet, pseudonym_uid, original_uid, refused_reason)"
            + " VALUES (v.aet, v.pseudonym_uid, v.original_uid, v.refused_reason)";

    @Resource(lookup = SchemaMigrations.DATASOURCE)
    DataSource dataSource;

    private final SchemaMigrations migrations = schema();
    private final RecentUids recent = new RecentUids(RECENT);

    /** The map's migrations (db/deid-uids, its own history table). */
    static SchemaMigrations schema() {
        return new SchemaMigrations("the de-identified UID map", "db/deid-uids", "deid_uid_schema_history");
    }

    /**
     * Records the pairs (pseudonym → original) of one AE not recorded lately, in one batch; a UID kept as it is
     * (retain-uids) needs no row.
     */
    public void record(String aet, Map<String, String> pseudonymToOriginal) {
        Map<String, String> unknown = recent.unknown(aet, pseudonymToOriginal);
        unknown.entrySet().removeIf(pair -> pair.getKey().equals(pair.getValue()));
        if (unknown.isEmpty()) {
            return;
        }
        run("recording " + unknown.size() + " UIDs of " + aet, connection -> {
            try {
                batch(connection, aet, unknown);
            } catch (BatchUpdateException race) {
                if (!UNIQUE_VIOLATION.equals(race.getSQLState())) {
                    throw race;
                }
                // Another node inserted one of the pairs between MERGE's check and its insert: the same pair.
                for (Map.Entry<String, String> pair : unknown.entrySet()) {
                    try {
                        batch(connection, aet, Map.of(pair.getKey(), pair.getValue()));
                    } catch (SQLException again) {
                        if (!UNIQUE_VIOLATION.equals(again.getSQLState())) {
                            throw again;
                        }
                    }
                }
            }
            return null;
        });
        recent.remember(aet, unknown);
    }

    private static void batch(Connection connection, String aet, Map<String, String> pairs) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(RECORD)) {
            for (Map.Entry<String, String> pair : pairs.entrySet()) {
                insert.setString(1, aet);
                insert.setString(2, pair.getKey());
                insert.setString(3, pair.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The original of a pseudonym this AE handed out; empty if it never did. */
    public Optional<String> original(String aet, String pseudonym) {
        Optional<String> known = recent.original(aet, pseudonym);
        if (known.isPresent()) {
            return known;
        }
        Optional<String> found = run("looking up UID " + pseudonym + " of " + aet, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT original_uid FROM deid_uid WHERE aet = ? AND pseudonym_uid = ?")) {
                select.setString(1, aet);
                select.setString(2, pseudonym);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(row.getString(1)) : Optional.<String>empty();
                }
            }
        });
        found.ifPresent(original -> recent.remember(aet, Map.of(pseudonym, original)));
        return found;
    }

    /** Records that the instance of this pseudonym was refused, and why. */
    public void refuse(String aet, String pseudonym, String original, String reason) {
        run("recording the refusal of " + pseudonym + " of " + aet, connection -> {
            try (PreparedStatement merge = connection.prepareStatement(REFUSE)) {
                merge.setString(1, aet);
                merge.setString(2, pseudonym);
                merge.setString(3, original);
                merge.setString(4, reason.length() > 256 ? reason.substring(0, 256) : reason);
                merge.executeUpdate();
            }
            return null;
        });
        recent.remember(aet, Map.of(pseudonym, original));
    }

    /** Why the instance of this pseudonym was refused; empty if it was not (or is unknown). */
    public Optional<String> refusal(String aet, String pseudonym) {
        return run("looking up UID " + pseudonym + " of " + aet, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT refused_reason FROM deid_uid WHERE aet = ? AND pseudonym_uid = ?")) {
                select.setString(1, aet);
                select.setString(2, pseudonym);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    private interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    private <T> T run(String what, Work<T> work) {
        migrations.ensureMigrated(dataSource);
        try (Connection connection = dataSource.getConnection()) {
            return work.on(connection);
        } catch (SQLException | RuntimeException e) {
            throw new GatewayBusyException("the de-identified UID map's database (" + SchemaMigrations.DATASOURCE
                    + ") failed " + what + ": " + DatabaseFailures.rootMessage(e));
        }
    }
}
