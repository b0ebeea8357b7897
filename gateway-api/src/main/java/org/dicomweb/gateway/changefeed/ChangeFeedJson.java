package org.dicomweb.gateway.changefeed;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** A change feed entry as JSON: what {@code GET /changefeed} answers and the ChangeFeed topic carries. */
public final class ChangeFeedJson {

    private ChangeFeedJson() {
    }

    public static JsonObject entry(ChangeFeedEntry entry) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("sequence", entry.sequence())
                .add("timestamp", entry.timestamp().toString())
                .add("aet", entry.aet())
                .add("origin", entry.origin());
        if (entry.taskId() != null) {
            json.add("taskId", entry.taskId());
        }
        return json.add("studyInstanceUid", entry.studyInstanceUid())
                .add("seriesInstanceUid", entry.seriesInstanceUid())
                .add("sopInstanceUid", entry.sopInstanceUid())
                .add("sopClassUid", entry.sopClassUid())
                .build();
    }
}
