package org.dicomweb.gateway.it;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A test's own reading of multipart/related WADO-RS bodies and of the Part 10 instances in them. */
final class Multipart {

    record Part(String contentType, byte[] body) {
    }

    private Multipart() {
    }

    static String boundary(String contentType) {
        Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
        if (!m.find()) {
            throw new AssertionError("no boundary in " + contentType);
        }
        return m.group(1);
    }

    /** The parts of a complete body; fails if the closing delimiter is missing. */
    static List<Part> parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<Integer> starts = new ArrayList<>();
        for (int i = indexOf(body, delimiter, 0); i >= 0; i = indexOf(body, delimiter, i + delimiter.length)) {
            starts.add(i);
        }
        int last = starts.get(starts.size() - 1);
        if (!new String(body, last, delimiter.length + 2, StandardCharsets.US_ASCII).endsWith("--")) {
            throw new AssertionError("the body has no closing delimiter");
        }
        List<Part> parts = new ArrayList<>();
        for (int p = 0; p + 1 < starts.size(); p++) {
            int headerStart = starts.get(p) + delimiter.length + 2;
            int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), headerStart);
            String headers = new String(body, headerStart, headerEnd - headerStart, StandardCharsets.US_ASCII);
            String type = headers.replaceFirst("(?is).*content-type:\\s*", "").trim();
            parts.add(new Part(type, Arrays.copyOfRange(body, headerEnd + 4, starts.get(p + 1) - 2)));
        }
        return parts;
    }

    /** The data set of a Part 10 instance: what follows the File Meta Information. */
    static byte[] dataSet(byte[] part10) {
        if (!new String(part10, 128, 4, StandardCharsets.US_ASCII).equals("DICM")) {
            throw new AssertionError("not a DICOM Part 10 instance");
        }
        int metaLength = ByteBuffer.wrap(part10, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Arrays.copyOfRange(part10, 144 + metaLength, part10.length);
    }

    static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
