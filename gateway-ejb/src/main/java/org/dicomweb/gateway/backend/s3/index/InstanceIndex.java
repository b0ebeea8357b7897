package org.dicomweb.gateway.backend.s3.index;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;

import org.dicomweb.gateway.core.db.DatabaseFailures;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * The S3 index as the backend uses it: the schema migrated before the first use, each call one short transaction,
 * and a database that fails or does not answer (the datasource waits at most its blocking timeout for a connection)
 * a 503 that says so.
 */
@ApplicationScoped
public class InstanceIndex {

    /** A unique constraint lost to a concurrent insert: tried again this often, then the store fails. */
    private static final int ATTEMPTS = 3;

    @Inject
    IndexSchema schema;

    @Inject
    IndexStore store;

    /** The CREATED instances of a study, series or instance, in series and instance number order. */
    public List<IndexedInstance> instances(String aet, WadoRequest request) {
        return call("finding " + request.describe(), () -> store.instances(aet, request));
    }

    /**
     * Holds the instance's row for a store: a new CREATING row, or (with {@code overwrite}) the row of the instance
     * stored before; empty if it is stored already and not to be overwritten.
     */
    public Optional<Reservation> reserve(String aet, InstanceHeader header, String key, boolean overwrite) {
        return call("reserving " + header.sopInstanceUid(), () -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    return store.reserve(aet, header, key, overwrite);
                } catch (PersistenceException | jakarta.transaction.TransactionalException e) {
                    if (attempt == ATTEMPTS) {
                        throw e;
                    }
                }
            }
        });
    }

    /**
     * The instance's objects are stored: it becomes CREATED (its study and series rows took its attributes with the
     * reservation). Two transactions per stored instance in all.
     */
    public void created(Reservation reservation, InstanceHeader header, String key, long size, String etag,
            String frames) {
        call("recording " + header.sopInstanceUid(), () -> {
            store.created(reservation, header, key, size, etag, frames);
            return null;
        });
    }

    public void abandon(Reservation reservation) {
        call("releasing an instance row", () -> {
            store.abandon(reservation);
            return null;
        });
    }

    public Optional<String> metadataDigest(String aet, String seriesUid) {
        return call("reading series " + seriesUid, () -> store.metadataDigest(aet, seriesUid));
    }

    public void metadataStored(String aet, String seriesUid, String digest) {
        call("recording series " + seriesUid + "'s metadata", () -> {
            store.metadataStored(aet, seriesUid, digest);
            return null;
        });
    }

    /**
     * One page of candidates for a search after row {@code afterPk}, in row order: a superset of the page's
     * matches (SQL narrows by the keys it can judge, the caller's matcher decides).
     */
    public List<Candidate> searchPage(String aet, org.dicomweb.gateway.core.qido.QidoQuery query, long afterPk,
            int size) {
        return call("a search", () -> store.searchPage(aet, query, afterPk, size));
    }

    /** Whether the index holds (or computes) the attribute at {@code level} or a level above. */
    public static boolean holds(org.dicomweb.gateway.qido.QidoResource.QueryLevel level,
            com.pixelmed.dicom.AttributeTag tag) {
        if (SearchPages.computed(tag)) {
            return true;
        }
        for (var l : org.dicomweb.gateway.qido.QidoResource.QueryLevel.values()) {
            if (l.ordinal() <= level.ordinal() && LevelAttributes.tags(l).contains(tag)) {
                return true;
            }
        }
        return false;
    }

    public void ping(String aet) {
        call("a health check", () -> {
            store.ping(aet);
            return null;
        });
    }

    /** {@code work} after the schema check; any failure of the database a 503 naming what was being done. */
    public <T> T call(String what, Supplier<T> work) {
        schema.ensureMigrated();
        try {
            return work.get();
        } catch (GatewayException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new GatewayBusyException("the S3 index's database (" + IndexSchema.DATASOURCE + ") failed " + what
                    + ": " + DatabaseFailures.rootMessage(e));
        }
    }
}
