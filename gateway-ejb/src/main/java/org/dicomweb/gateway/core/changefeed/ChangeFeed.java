package org.dicomweb.gateway.core.changefeed;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.changefeed.ChangeFeedEntry;
import org.dicomweb.gateway.changefeed.ChangeFeedService;
import org.dicomweb.gateway.core.db.DatabaseFailures;
import org.dicomweb.gateway.core.db.SchemaMigrations;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.GatewayException;

/**
 * The change feed (docs/jobs.md, "Change feed"): its schema migrated before the first use (outside any transaction:
 * Flyway commits on its own connections), then each call one short transaction of {@link ChangeFeedRows}; a failing
 * database is a 503 naming what was being done.
 */
@ApplicationScoped
public class ChangeFeed implements ChangeFeedService {

    @Resource(lookup = SchemaMigrations.DATASOURCE)
    DataSource dataSource;

    @Inject
    ChangeFeedRows rows;

    private final SchemaMigrations migrations = schema();

    /** The change feed's migrations (db/changefeed, its own history table). */
    static SchemaMigrations schema() {
        return new SchemaMigrations("the change feed", "db/changefeed", "changefeed_schema_history");
    }

    @Override
    public List<ChangeFeedEntry> after(long after, int limit) {
        return call("reading the entries after " + after, () -> rows.after(after, limit));
    }

    @Override
    public Optional<ChangeFeedEntry> latest() {
        return call("reading the latest entry", rows::latest);
    }

    /** Records the event's instances, committed when this returns. */
    List<ChangeFeedEntry> append(InstancesArrived event) {
        return call("recording " + event.instances().size() + " instances", () -> rows.append(event));
    }

    private <T> T call(String what, Supplier<T> work) {
        migrations.ensureMigrated(dataSource);
        try {
            return work.get();
        } catch (GatewayException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new GatewayBusyException("the change feed's database (" + SchemaMigrations.DATASOURCE + ") failed "
                    + what + ": " + DatabaseFailures.rootMessage(e));
        }
    }
}
