package org.dicomweb.gateway.web.studies;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of an HTTP Range header (RFC 9110 §14.1.2): {@code bytes=a-b}, {@code bytes=a-} or
 * {@code bytes=-n}, resolved against the length of the value.
 */
record ByteRange(long first, long count) {

    private static final Pattern SINGLE = Pattern.compile("bytes=([0-9]*)-([0-9]*)");

    /** Thrown for a range that lies wholly beyond the value: answered 416. */
    static final class Unsatisfiable extends Exception {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    /**
     * Empty if there is no header, or one this server ignores (several ranges, other units: RFC 9110 lets a server
     * answer those with the whole value).
     */
    static Optional<ByteRange> parse(String header, long length) throws Unsatisfiable {
        Matcher m = header == null ? null : SINGLE.matcher(header.trim());
        if (m == null || !m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) { // the last n bytes
                long n = Long.parseLong(m.group(2));
                if (n == 0 || length == 0) {
                    throw new Unsatisfiable();
                }
                return Optional.of(new ByteRange(Math.max(0, length - n), Math.min(n, length)));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
            if (first >= length) {
                throw new Unsatisfiable();
            }
            return last < first ? Optional.empty() : Optional.of(new ByteRange(first, last - first + 1));
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    String contentRange(long length) {
        return "bytes " + first + "-" + (first + count - 1) + "/" + length;
    }
}
