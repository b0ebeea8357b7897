package org.dicomweb.gateway.changefeed;

import java.util.List;
import java.util.Optional;

/**
 * The change feed, read in sequence order. A reader that has seen everything up to sequence N asks for the entries
 * after N; entries become readable in sequence order (no entry with a lower sequence appears after a higher one was
 * read), so such a reader never misses one.
 */
public interface ChangeFeedService {

    /** The most a read returns; more is a bad request. */
    int MAX_LIMIT = 1000;
    int DEFAULT_LIMIT = 100;

    /**
     * At most {@code limit} entries with a sequence above {@code after}, in sequence order. The caller has checked
     * its input: {@code after} 0 or more, {@code limit} 1 to {@link #MAX_LIMIT}.
     */
    List<ChangeFeedEntry> after(long after, int limit);

    /** The entry with the highest sequence, if there is any. */
    Optional<ChangeFeedEntry> latest();
}
