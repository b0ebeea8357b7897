package org.dicomweb.gateway.core.cache;

import java.util.concurrent.CompletionStage;

import org.dicomweb.gateway.wado.RetrievedInstances;

/**
 * How the cache retrieves a copy of a study: started once per fill, with the copy it fills, whose readers it may serve
 * in the order they ask (see {@link ArrivingCopy#nextSeries}) and tell when a series is complete.
 */
@FunctionalInterface
public interface CopyRetrieval {

    CompletionStage<RetrievedInstances> start(ArrivingCopy copy);
}
