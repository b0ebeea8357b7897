package org.dicomweb.gateway.core.changefeed;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.dicomweb.gateway.changefeed.ChangeFeedEntry;
import org.dicomweb.gateway.stow.StowResult;

/**
 * Records every {@link InstancesArrived} in the change feed (one transaction per event), then publishes its entries
 * on the ChangeFeed topic. Synchronous, so that an entry is readable when the STOW-RS response, the C-STORE response
 * or the task's batch that brought it in is answered. It never throws: the instances are stored already, and a
 * failure to record them must not fail what stored them; they are then missing from the feed, and the log names them.
 */
@ApplicationScoped
public class ChangeFeedRecorder {

    private static final Logger LOG = Logger.getLogger(ChangeFeedRecorder.class.getName());

    @Inject
    ChangeFeed feed;

    @Inject
    ChangeFeedTopic topic;

    void record(@Observes InstancesArrived event) {
        if (event.instances().isEmpty()) {
            return;
        }
        List<ChangeFeedEntry> entries;
        try {
            entries = feed.append(event);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "the change feed is missing " + event.instances().size() + " instances stored into "
                    + event.aet() + " by " + event.origin() + (event.taskId() == null ? "" : " task " + event.taskId())
                    + ", which could not be recorded (" + e.getMessage() + "): " + event.instances().stream()
                    .map(StowResult.Stored::sopInstanceUid).collect(Collectors.joining(", ")), e);
            return;
        }
        topic.publish(entries);
    }
}
