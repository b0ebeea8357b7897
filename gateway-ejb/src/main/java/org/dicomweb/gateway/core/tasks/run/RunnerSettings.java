package org.dicomweb.gateway.core.tasks.run;

import org.dicomweb.gateway.core.config.ConfigValues;

/**
 * The task runner's keys: how many instances go into one destination transaction ({@code gateway.tasks.batch-size}:
 * each batch is recorded, and announced as arrived, when its destination confirmed it), and how many tasks of this
 * node may deliver to one destination at once ({@code gateway.tasks.max-deliveries-per-destination}).
 */
record RunnerSettings(int batchSize, int maxDeliveriesPerDestination) {

    static RunnerSettings read(ConfigValues values) {
        return new RunnerSettings(values.integer("gateway.tasks.batch-size", 16, 1, 10000),
                values.integer("gateway.tasks.max-deliveries-per-destination", 4, 1, 1024));
    }
}
