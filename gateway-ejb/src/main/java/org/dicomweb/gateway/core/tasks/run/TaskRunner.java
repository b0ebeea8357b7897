package org.dicomweb.gateway.core.tasks.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.backend.Backend;
import org.dicomweb.gateway.core.backend.BackendRegistry;
import org.dicomweb.gateway.core.backend.DirectTransfer;
import org.dicomweb.gateway.core.changefeed.InstancesArrived;
import org.dicomweb.gateway.core.config.GatewayConfiguration;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.TempDirectories;
import org.dicomweb.gateway.core.tasks.TaskAttempt;
import org.dicomweb.gateway.core.tasks.TaskExecution;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.tasks.TaskRequest;

/**
 * Runs a task's attempt through the backends of its AEs only: the selection is found at the source by QIDO-RS, then
 * the source sends it straight to the destination where its backend can ({@link DirectTransfer}), or the gateway
 * retrieves it (the source's WADO service) and stores it into the destination (its STOW service) in batches, each
 * recorded on the task and announced ({@link InstancesArrived}) once the destination confirmed it.
 */
@ApplicationScoped
public class TaskRunner implements TaskExecution {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class.getName());
    /** How long a task waits for a delivery slot of its destination before it is retried later as busy. */
    static final long SLOT_WAIT_MS = 60_000;

    @Inject
    BackendRegistry registry;

    @Inject
    GatewayConfiguration configuration;

    @Inject
    Event<InstancesArrived> arrivals;

    private RunnerSettings settings;
    private int qidoPageSize;
    private SpoolBudget budget;
    private Path spool;
    private DeliverySlots slots;

    @PostConstruct
    void start() {
        GatewaySettings gateway = configuration.settings();
        settings = RunnerSettings.read(configuration.values());
        qidoPageSize = gateway.qidoMaxResults();
        // Parts wait here only until the destination's transaction has spooled its own copy: the STOW-RS budget.
        budget = new SpoolBudget(gateway.stowMemorySpoolMb(), gateway.stowMemoryPartKb());
        spool = TempDirectories.of("dicomweb-tasks");
        slots = new DeliverySlots(settings.maxDeliveriesPerDestination(), SLOT_WAIT_MS);
    }

    @Override
    public void run(TaskAttempt attempt) {
        TaskRequest request = attempt.request();
        Backend source = registry.backend(request.source());
        Backend destination = registry.backend(request.destination());
        List<SourceTarget> targets = new SourceSearch(request.source(), source.services().qido(), qidoPageSize)
                .targets(request.selection());
        Integer toDeliver = toDeliver(targets, attempt);
        attempt.remaining(toDeliver);
        Optional<DirectTransfer> direct = source.directTransfer()
                .filter(transfer -> transfer.reaches(request.source(), request.destination()));
        if (direct.isPresent()) {
            attempt.method("move");
            new DirectRun(attempt, direct.get()).run(targets);
            return;
        }
        attempt.method("store");
        store(attempt, targets, source, destination, toDeliver);
    }

    /** The instances of the targets that no earlier attempt delivered, if the source named them all. */
    private static Integer toDeliver(List<SourceTarget> targets, TaskAttempt attempt) {
        if (targets.stream().anyMatch(target -> target.instances() == null)) {
            return null;
        }
        return (int) targets.stream().flatMap(target -> target.instances().stream()).distinct()
                .filter(uid -> !attempt.deliveredBefore(uid)).count();
    }

    private void store(TaskAttempt attempt, List<SourceTarget> targets, Backend source, Backend destination,
            Integer toDeliver) {
        String destinationAet = attempt.request().destination();
        try (DeliverySlots.Slot slot = slots.acquire(destinationAet, attempt::cancelled)) {
            if (slot == null) {
                return; // cancelled while waiting for it
            }
            BatchDelivery delivery = new BatchDelivery(destinationAet,
                    () -> destination.services().stow().begin(destinationAet, null), settings.batchSize(),
                    new AttemptRecorder(attempt, arrivals, toDeliver), why -> reachable(destination, destinationAet, why));
            StoreRun run = new StoreRun(attempt, source.services().wado(), budget, spool);
            try {
                run.deliver(targets, delivery);
            } catch (RuntimeException e) {
                closeAfter(delivery, e);
                throw e;
            }
            delivery.close();
        }
    }

    /** What the open batch stored is recorded even when the task fails (it is then not delivered again). */
    private static void closeAfter(BatchDelivery delivery, RuntimeException failure) {
        try {
            delivery.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * A destination that failed every instance of a batch and does not answer a verification either is down, not
     * refusing them: the task is retried (transient) instead of failing the instances for good.
     */
    private static void reachable(Backend destination, String aet, String why) {
        try {
            Stages.await(destination.verify(aet), aet + ": the verification", result -> { });
        } catch (GatewayException e) {
            LOG.info(aet + " failed a whole batch (" + why + ") and does not answer: " + e.getMessage());
            throw new PeerFailureException(aet + " failed every instance of a batch (" + why
                    + ") and does not answer a verification (" + e.getMessage() + ")", e);
        }
    }
}
