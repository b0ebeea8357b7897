package org.dicomweb.gateway.core.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.dicomweb.gateway.core.tasks.store.TaskDatabase;
import org.dicomweb.gateway.core.tasks.store.TaskStore;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.tasks.TaskState;

/**
 * The retrieval tasks by state (docs/metrics.md), counted in the task table every 5 s: the table is the cluster's
 * truth, so every node reports the same numbers. The gauges read the last count and never query the database on the
 * scrape's thread (WildFly's management thread, outside the deployment); a failed count makes them NaN until the
 * next one succeeds.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN) // the counts are a volatile snapshot
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // TaskStore opens its own transaction
public class TaskMeters {

    private static final Logger LOG = Logger.getLogger(TaskMeters.class.getName());

    @Inject
    MeterRegistry registry;

    @Inject
    TaskDatabase database;

    @Inject
    TaskStore store;

    private MeterSet meters;
    /** The last count; null until one succeeded, and after one failed. */
    private volatile Map<TaskState, Long> counts;

    @PostConstruct
    void start() {
        meters = new MeterSet(registry);
        for (TaskState state : TaskState.values()) {
            meters.add(Gauge.builder(MeterSet.PREFIX + "tasks", this, meter -> meter.count(state))
                    .description("Retrieval tasks in the task table by state (cluster-wide; counted every 5 s)")
                    .tag("state", state.name().toLowerCase(Locale.ROOT)).strongReference(true).register(registry));
        }
    }

    @PreDestroy
    void stop() {
        meters.close();
    }

    @Schedule(hour = "*", minute = "*", second = "*/5", persistent = false)
    void recount() {
        try {
            counts = database.call("counting the tasks by state", store::countByState);
        } catch (GatewayException e) {
            if (counts != null) {
                LOG.log(Level.WARNING, "task gauges unknown until the next count: " + e.getMessage());
            }
            counts = null;
        }
    }

    private double count(TaskState state) {
        Map<TaskState, Long> last = counts;
        return last == null ? Double.NaN : last.getOrDefault(state, 0L);
    }
}
