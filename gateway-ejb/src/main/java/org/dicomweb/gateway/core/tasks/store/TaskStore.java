package org.dicomweb.gateway.core.tasks.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.dicomweb.gateway.core.tasks.TaskOutcomes;
import org.dicomweb.gateway.core.tasks.store.TaskInstanceRow.Outcome;
import org.dicomweb.gateway.error.ConflictException;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.tasks.FailedInstance;
import org.dicomweb.gateway.tasks.TaskPage;
import org.dicomweb.gateway.tasks.TaskQuery;
import org.dicomweb.gateway.tasks.TaskRequest;
import org.dicomweb.gateway.tasks.TaskState;
import org.dicomweb.gateway.tasks.TaskView;

/**
 * The task rows' transactions, each short and its own (REQUIRES_NEW: never one around a run, nor joined to a
 * caller's). Whatever a worker writes is conditional on its owning the row, so that a worker whose task was taken
 * over (its lease expired) changes nothing. Go through {@link TaskDatabase}, which migrates the schema first and
 * names database failures.
 */
@ApplicationScoped
public class TaskStore {

    private static final List<String> WAITING = List.of(TaskState.SCHEDULED.name(),
            TaskState.SCHEDULED_FOR_RETRY.name());
    private static final String RUNNING = TaskState.IN_PROCESS.name();
    /** The LIKE escape of {@link Lease#previousBoots}. */
    public static final char LIKE_ESCAPE = '!';
    /** A row's claimable if it is due, or running under an owner that is gone. */
    private static final String CLAIMABLE = "((t.state in :waiting and t.scheduledAt <= :now) or (t.state = :running"
            + " and (t.heartbeatAt is null or t.heartbeatAt < :expired"
            + " or (t.owner like :previousBoots escape '" + LIKE_ESCAPE + "' and t.owner <> :owner))))";

    @PersistenceContext(unitName = "tasks")
    EntityManager em;

    /**
     * Now, at the precision the database keeps (microseconds, PostgreSQL and H2 alike; it would round finer times),
     * so that a row just written shows the times a read of it shows. Every time the store is given comes from here.
     */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Who claims, and when a lease has expired: {@code previousBoots} is a LIKE pattern matching this node's owner
     * ids of earlier boots (and this one's, which {@code owner} excludes).
     */
    public record Lease(String owner, String previousBoots, Instant now, Instant expired) {
    }

    /** A claimed task: its view (attempts counted), whether it is to be cancelled, what it delivered before. */
    public record Claimed(TaskView view, boolean cancelRequested, Set<String> delivered) {
    }

    /** A task whose message the sweeper sends again (at once: it is claimable now). */
    public record Requeue(String taskId, int priority) {
    }

    /**
     * A new SCHEDULED row for the request, due at its notBefore (or now); a row with its taskId fails the transaction
     * on the primary key.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public TaskView insert(TaskRequest request, Instant now) {
        return insert(TaskRows.scheduled(request, now));
    }

    /** A FAILED row for a request that was refused: its body as sent, and why. */
    @Transactional(TxType.REQUIRES_NEW)
    public TaskView insertRefused(String taskId, String correlationId, String body, String reason, Instant now) {
        return insert(TaskRows.refused(taskId, correlationId, body, reason, now));
    }

    private TaskView insert(TaskRow row) {
        em.persist(row);
        em.flush();
        return TaskRows.view(row, List.of());
    }

    /** The number of tasks in each state that has any (one grouped count over the table). */
    @Transactional(TxType.REQUIRES_NEW)
    public Map<TaskState, Long> countByState() {
        Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
        em.createQuery("select t.state, count(t) from TaskRow t group by t.state", Object[].class).getResultList()
                .forEach(row -> counts.put(TaskState.valueOf((String) row[0]), (Long) row[1]));
        return counts;
    }

    @Transactional(TxType.REQUIRES_NEW)
    public Optional<TaskView> view(String taskId) {
        TaskRow row = em.find(TaskRow.class, taskId);
        return row == null ? Optional.empty() : Optional.of(TaskRows.view(row, failures(row)));
    }

    /**
     * One conditional UPDATE takes the task for {@code lease.owner()} (IN_PROCESS, one more attempt), if it is due or
     * its owner is gone; empty if another worker has it or it ended (a duplicate message: drop it).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Optional<Claimed> claim(String taskId, Lease lease) {
        int claimed = claimable(em.createQuery("update TaskRow t set t.state = :running, t.owner = :owner,"
                        + " t.heartbeatAt = :now, t.updatedAt = :now, t.queuedAt = null,"
                        + " t.startedAt = coalesce(t.startedAt, :now), t.attempts = t.attempts + 1"
                        + " where t.taskId = :id and " + CLAIMABLE), lease)
                .setParameter("id", taskId)
                .executeUpdate();
        if (claimed == 0) {
            return Optional.empty();
        }
        TaskRow row = em.find(TaskRow.class, taskId);
        Set<String> delivered = new HashSet<>(em.createQuery("select i.sopInstanceUid from TaskInstanceRow i"
                        + " where i.taskId = :id and i.outcome <> :failed", String.class)
                .setParameter("id", taskId).setParameter("failed", Outcome.FAILED.name()).getResultList());
        return Optional.of(new Claimed(TaskRows.view(row, failures(row)), row.cancelRequested, delivered));
    }

    /** The owner still runs it: false if the row is not its own any more (taken over, or ended). */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean heartbeat(String taskId, String owner, Instant now) {
        return em.createQuery("update TaskRow t set t.heartbeatAt = :now where t.taskId = :id and t.owner = :owner"
                        + " and t.state = :running")
                .setParameter("now", now).setParameter("id", taskId).setParameter("owner", owner)
                .setParameter("running", RUNNING).executeUpdate() == 1;
    }

    /** Whether the owner is to stop: the task is cancelled, or not its own any more. */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean stopRequested(String taskId, String owner) {
        TaskRow row = em.find(TaskRow.class, taskId);
        return row == null || !owned(row, owner) || row.cancelRequested;
    }

    @Transactional(TxType.REQUIRES_NEW)
    public boolean method(String taskId, String owner, String method, Instant now) {
        return setWhileOwned(taskId, owner, "method", method, now);
    }

    @Transactional(TxType.REQUIRES_NEW)
    public boolean remaining(String taskId, String owner, Integer remaining, Instant now) {
        return setWhileOwned(taskId, owner, "remaining", remaining, now);
    }

    /** Sets one field of the owner's running row ({@code field} is a constant of this class, never client input). */
    private boolean setWhileOwned(String taskId, String owner, String field, Object value, Instant now) {
        return em.createQuery("update TaskRow t set t." + field + " = :value, t.updatedAt = :now where t.taskId = :id"
                        + " and t.owner = :owner and t.state = :running")
                .setParameter("value", value).setParameter("now", now).setParameter("id", taskId)
                .setParameter("owner", owner).setParameter("running", RUNNING).executeUpdate() == 1;
    }

    /**
     * A batch the destination answered, with the counts, in one transaction: each instance is recorded once (an
     * instance already recorded is left as it is, except that a failed one delivered now counts as delivered). The
     * execution sets {@code remaining} itself. False if the row is not the owner's.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean record(String taskId, String owner, List<StowResult.Stored> stored, List<FailedInstance> failed,
            Instant now) {
        TaskRow row = locked(taskId);
        if (row == null || !owned(row, owner)) {
            return false;
        }
        for (StowResult.Stored instance : stored) {
            Integer warning = instance.warningReason();
            put(row, instance.sopInstanceUid(), warning == null ? Outcome.DELIVERED : Outcome.WARNING,
                    warning == null ? null : String.format("stored with warning status 0x%04X", warning));
        }
        for (FailedInstance instance : failed) {
            put(row, instance.sopInstanceUid(), Outcome.FAILED, instance.reason());
        }
        row.updatedAt = now;
        row.heartbeatAt = now;
        return true;
    }

    /** Records the instance's outcome unless it was recorded before; the counts follow. */
    private void put(TaskRow row, String sopInstanceUid, Outcome outcome, String reason) {
        TaskInstanceRow existing = em.find(TaskInstanceRow.class, new TaskInstanceRow.Key(row.taskId, sopInstanceUid));
        if (existing == null) {
            persistInstance(row.taskId, sopInstanceUid, outcome, reason);
            count(row, outcome, 1);
            return;
        }
        if (existing.outcome.equals(Outcome.FAILED.name()) && outcome != Outcome.FAILED) {
            count(row, Outcome.FAILED, -1);
            count(row, outcome, 1);
            existing.outcome = outcome.name();
            existing.reason = TaskRows.reason(reason);
        }
    }

    private void persistInstance(String taskId, String sopInstanceUid, Outcome outcome, String reason) {
        TaskInstanceRow instance = new TaskInstanceRow();
        instance.taskId = taskId;
        instance.sopInstanceUid = sopInstanceUid;
        instance.outcome = outcome.name();
        instance.reason = TaskRows.reason(reason);
        em.persist(instance);
    }

    private static void count(TaskRow row, Outcome outcome, int delta) {
        switch (outcome) {
            case DELIVERED -> row.completed += delta;
            case WARNING -> row.warning += delta;
            case FAILED -> row.failed += delta;
        }
    }

    /** A direct transfer's counts, which replace the task's own; its failures replace the failed instances. */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean counts(String taskId, String owner, Integer remaining, int completed, int failed, int warning,
            List<FailedInstance> failures, Instant now) {
        TaskRow row = locked(taskId);
        if (row == null || !owned(row, owner)) {
            return false;
        }
        em.createQuery("delete from TaskInstanceRow i where i.taskId = :id and i.outcome = :failed")
                .setParameter("id", taskId).setParameter("failed", Outcome.FAILED.name()).executeUpdate();
        Set<String> listed = new HashSet<>();
        for (FailedInstance failure : failures) {
            if (listed.add(failure.sopInstanceUid())) {
                persistInstance(taskId, failure.sopInstanceUid(), Outcome.FAILED, failure.reason());
            }
        }
        row.remaining = remaining;
        row.completed = completed;
        row.failed = failed;
        row.warning = warning;
        row.updatedAt = now;
        row.heartbeatAt = now;
        return true;
    }

    /**
     * Ends the owner's attempt: CANCELED ({@code cancelled}), FAILED with {@code failure}, or else the state its
     * counts give. Empty if the row is not the owner's (it changes nothing then).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Optional<TaskView> finish(String taskId, String owner, boolean cancelled, String failure, Instant now) {
        TaskRow row = locked(taskId);
        if (row == null || !owned(row, owner)) {
            return Optional.empty();
        }
        List<FailedInstance> failures = failures(row);
        TaskState state;
        String reason;
        if (cancelled) {
            state = TaskState.CANCELED;
            reason = "canceled on request while it ran";
        } else if (failure != null) {
            state = TaskState.FAILED;
            reason = failure;
        } else {
            state = TaskOutcomes.finalState(row.completed, row.failed, row.warning);
            reason = switch (state) {
                case FAILED -> "no instance could be delivered: " + row.failed + " failed"
                        + (failures.isEmpty() ? "" : ", e.g. " + failures.get(0).sopInstanceUid() + ": "
                        + failures.get(0).reason());
                case WARNING -> row.failed + " instances failed, " + row.warning + " stored with a warning";
                default -> null;
            };
        }
        end(row, state, reason, now);
        return Optional.of(TaskRows.view(row, failures));
    }

    /** The owner's attempt failed transiently: SCHEDULED_FOR_RETRY, due at {@code at} (its message sent now). */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean retry(String taskId, String owner, String reason, Instant at, Instant now) {
        return em.createQuery("update TaskRow t set t.state = :retry, t.scheduledAt = :at, t.queuedAt = :now,"
                        + " t.reason = :reason, t.owner = null, t.heartbeatAt = null, t.updatedAt = :now"
                        + " where t.taskId = :id and t.owner = :owner and t.state = :running")
                .setParameter("retry", TaskState.SCHEDULED_FOR_RETRY.name()).setParameter("at", at)
                .setParameter("now", now).setParameter("reason", TaskRows.reason(reason))
                .setParameter("id", taskId).setParameter("owner", owner).setParameter("running", RUNNING)
                .executeUpdate() == 1;
    }

    /**
     * The owner's node stops while the attempt runs (docs/jobs.md, "Stopping and redeploying"): SCHEDULED and due
     * now, without an owner, and the attempt not counted (it was cut, not tried). No message is sent: the node's
     * queue is going away, and the sweeper of the next deployment, or of another node, sends one ({@code queuedAt}
     * cleared). What the attempt delivered stays recorded.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean release(String taskId, String owner, String reason, Instant now) {
        return em.createQuery("update TaskRow t set t.state = :scheduled, t.scheduledAt = :now, t.queuedAt = null,"
                        + " t.attempts = t.attempts - 1, t.reason = :reason, t.owner = null, t.heartbeatAt = null,"
                        + " t.updatedAt = :now where t.taskId = :id and t.owner = :owner and t.state = :running")
                .setParameter("scheduled", TaskState.SCHEDULED.name()).setParameter("now", now)
                .setParameter("reason", TaskRows.reason(reason)).setParameter("id", taskId)
                .setParameter("owner", owner).setParameter("running", RUNNING)
                .executeUpdate() == 1;
    }

    /**
     * A task that waits is CANCELED at once; a running one gets its cancel flag (its worker stops, then ends it).
     * Empty for an unknown task; a task that ended is a conflict.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Optional<TaskView> cancel(String taskId, Instant now) {
        TaskRow row = lockedFor(taskId, state -> !state.isFinal(), state -> "ended already (" + state + "); only a"
                + " task that is scheduled or running can be canceled");
        if (row == null) {
            return Optional.empty();
        }
        if (RUNNING.equals(row.state)) {
            row.cancelRequested = true;
            row.updatedAt = now;
        } else {
            end(row, TaskState.CANCELED, "canceled on request before it ran", now);
        }
        return Optional.of(TaskRows.view(row, failures(row)));
    }

    /**
     * An ended task SCHEDULED again, as if new: its counts and instance records cleared (its message sent now).
     * Empty for an unknown task; a task that has not ended is a conflict.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Optional<TaskView> reschedule(String taskId, Instant now) {
        TaskRow row = lockedFor(taskId, TaskState::isFinal, state -> "is " + state + "; only a task that ended can be"
                + " rescheduled");
        if (row == null) {
            return Optional.empty();
        }
        if (row.sourceAet == null) {
            throw new ConflictException("task " + taskId + " was refused (" + row.reason + "); submit a corrected "
                    + "request instead");
        }
        em.createQuery("delete from TaskInstanceRow i where i.taskId = :id").setParameter("id", taskId)
                .executeUpdate();
        row.state = TaskState.SCHEDULED.name();
        row.scheduledAt = now;
        row.queuedAt = now;
        row.updatedAt = now;
        row.startedAt = null;
        row.endedAt = null;
        row.attempts = 0;
        row.remaining = null;
        row.completed = 0;
        row.failed = 0;
        row.warning = 0;
        row.reason = null;
        row.method = null;
        row.owner = null;
        row.heartbeatAt = null;
        row.cancelRequested = false;
        return Optional.of(TaskRows.view(row, List.of()));
    }

    /** FAILED with {@code reason}, unless it ended already (empty then, as for an unknown task). */
    @Transactional(TxType.REQUIRES_NEW)
    public Optional<TaskView> fail(String taskId, String reason, Instant now) {
        TaskRow row = locked(taskId);
        if (row == null || TaskState.valueOf(row.state).isFinal()) {
            return Optional.empty();
        }
        end(row, TaskState.FAILED, reason, now);
        return Optional.of(TaskRows.view(row, failures(row)));
    }

    private static void end(TaskRow row, TaskState state, String reason, Instant now) {
        row.state = state.name();
        row.reason = TaskRows.reason(reason);
        row.endedAt = now;
        row.updatedAt = now;
        row.heartbeatAt = null;
    }

    /** Newest first; each filter in the query may be null. */
    @Transactional(TxType.REQUIRES_NEW)
    public TaskPage list(TaskQuery query) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        if (query.state() != null) {
            where.append(" and t.state = :state");
            parameters.put("state", query.state().name());
        }
        if (query.batchId() != null) {
            where.append(" and t.batchId = :batch");
            parameters.put("batch", query.batchId());
        }
        if (query.aet() != null) {
            where.append(" and (t.sourceAet = :aet or t.destinationAet = :aet)");
            parameters.put("aet", query.aet());
        }
        if (query.createdFrom() != null) {
            where.append(" and t.createdAt >= :from");
            parameters.put("from", query.createdFrom());
        }
        if (query.createdTo() != null) {
            where.append(" and t.createdAt < :to");
            parameters.put("to", query.createdTo());
        }
        TypedQuery<Long> count = em.createQuery("select count(t) from TaskRow t" + where, Long.class);
        TypedQuery<TaskRow> page = em.createQuery("select t from TaskRow t" + where
                + " order by t.createdAt desc, t.taskId desc", TaskRow.class);
        parameters.forEach((name, value) -> {
            count.setParameter(name, value);
            page.setParameter(name, value);
        });
        List<TaskView> tasks = new ArrayList<>();
        for (TaskRow row : page.setFirstResult(query.offset()).setMaxResults(query.limit()).getResultList()) {
            tasks.add(TaskRows.view(row, failures(row)));
        }
        return new TaskPage(tasks, count.getSingleResult());
    }

    /**
     * For the sweeper: tasks whose message may be lost, at most {@code limit}: due ones, and running ones whose owner
     * is gone (lease expired, or an earlier boot of this node), of which no message was sent since {@code
     * queuedBefore}.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public List<Requeue> lostMessages(Lease lease, Instant queuedBefore, int limit) {
        return claimable(em.createQuery("select t.taskId, t.priority from TaskRow t where "
                        + CLAIMABLE + " and (t.queuedAt is null or t.queuedAt < :queuedBefore)"
                        + " order by t.priority desc, t.scheduledAt", Object[].class), lease)
                .setParameter("queuedBefore", queuedBefore)
                .setMaxResults(limit).getResultList().stream()
                .map(row -> new Requeue((String) row[0], (Integer) row[1])).toList();
    }

    /**
     * The sweeper is to send a message for the task: true for the one node that marks it (a conditional UPDATE), so
     * that the nodes of a cluster do not all send one.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public boolean markQueued(String taskId, Instant queuedBefore, Instant now) {
        return em.createQuery("update TaskRow t set t.queuedAt = :now where t.taskId = :id"
                        + " and (t.queuedAt is null or t.queuedAt < :queuedBefore)")
                .setParameter("now", now).setParameter("id", taskId).setParameter("queuedBefore", queuedBefore)
                .executeUpdate() == 1;
    }

    /** The parameters of {@link #CLAIMABLE}: who takes the task over, and when. */
    private static <Q extends Query> Q claimable(Q query, Lease lease) {
        query.setParameter("waiting", WAITING).setParameter("running", RUNNING)
                .setParameter("owner", lease.owner()).setParameter("previousBoots", lease.previousBoots())
                .setParameter("now", lease.now()).setParameter("expired", lease.expired());
        return query;
    }

    /** The task's row, locked until the transaction ends (a worker's and a client's writes on it take turns); or null. */
    private TaskRow locked(String taskId) {
        return em.find(TaskRow.class, taskId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The locked row of a task a client acts on, or null for an unknown task; a conflict, with the reason "task
     * &lt;id&gt; " + {@code why}, if its state is not one the action {@code takes}.
     */
    private TaskRow lockedFor(String taskId, Predicate<TaskState> takes, Function<TaskState, String> why) {
        TaskRow row = locked(taskId);
        if (row != null && !takes.test(TaskState.valueOf(row.state))) {
            throw new ConflictException("task " + taskId + " " + why.apply(TaskState.valueOf(row.state)));
        }
        return row;
    }

    private static boolean owned(TaskRow row, String owner) {
        return owner.equals(row.owner) && RUNNING.equals(row.state);
    }

    private List<FailedInstance> failures(TaskRow row) {
        if (row.failed == 0) {
            return List.of();
        }
        return em.createQuery("select i from TaskInstanceRow i where i.taskId = :id and i.outcome = :failed"
                        + " order by i.sopInstanceUid", TaskInstanceRow.class)
                .setParameter("id", row.taskId).setParameter("failed", Outcome.FAILED.name())
                .setMaxResults(TaskView.MAX_LISTED_FAILURES).getResultList().stream()
                .map(i -> new FailedInstance(i.sopInstanceUid, i.reason == null ? "" : i.reason)).toList();
    }
}
