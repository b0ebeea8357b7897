package org.dicomweb.gateway.it;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** The wait of the task ITs: asking a peer again until it answers, with a deadline. */
final class Poll {

    private Poll() {
    }

    /**
     * {@code poll}'s first answer that is not null, asked every {@code every}; at the deadline, an AssertionError with
     * {@code timedOut}'s message (asked then, so that it can say what the last answer was).
     */
    static <T> T until(Duration within, Duration every, Supplier<T> poll, Supplier<String> timedOut) {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            T answer = poll.get();
            if (answer != null) {
                return answer;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(timedOut.get());
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
