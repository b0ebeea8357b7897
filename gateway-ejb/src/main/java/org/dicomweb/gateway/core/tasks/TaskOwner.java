package org.dicomweb.gateway.core.tasks;

import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.tasks.store.TaskStore;

/**
 * Who runs a task on this node: {@code <jboss.node.name>/<boot id>}, the boot id new with each deployment. A task
 * still owned by this node under another boot id was left by a server that died (kill -9): no worker here runs it,
 * so it is taken over at once instead of after its lease.
 */
@ApplicationScoped
public class TaskOwner {

    @Inject
    WorkerSettings settings;

    private String node;
    private String owner;

    @PostConstruct
    void boot() {
        node = System.getProperty("jboss.node.name", "gateway");
        owner = node + "/" + UUID.randomUUID();
    }

    public String id() {
        return owner;
    }

    /** The claim's terms at {@code now}: this owner, this node's earlier boots, the lease's expiry. */
    public TaskStore.Lease lease(Instant now) {
        return new TaskStore.Lease(owner, escape(node) + "/%", now, now.minus(settings.lease()));
    }

    private static String escape(String text) {
        String e = String.valueOf(TaskStore.LIKE_ESCAPE);
        return text.replace(e, e + e).replace("%", e + "%").replace("_", e + "_");
    }
}
