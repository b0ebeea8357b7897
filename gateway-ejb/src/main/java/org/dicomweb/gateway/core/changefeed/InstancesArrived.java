package org.dicomweb.gateway.core.changefeed;

import java.util.List;

import org.dicomweb.gateway.stow.StowResult;

/**
 * A CDI event: instances entered {@code aet} through the gateway and its destination confirmed them stored. Fired by
 * whatever brought them in ({@code origin}: {@link #STOW_RS}, {@link #TASK} with the task's id, {@link #STORE_SCP}),
 * after the store succeeded, once per batch; the change feed observes it.
 */
public record InstancesArrived(String aet, String origin, String taskId, List<StowResult.Stored> instances) {

    public static final String STOW_RS = "STOW-RS";
    public static final String TASK = "TASK";
    public static final String STORE_SCP = "STORE-SCP";

    public InstancesArrived {
        instances = List.copyOf(instances);
    }
}
