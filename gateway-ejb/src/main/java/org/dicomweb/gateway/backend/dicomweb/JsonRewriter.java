package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import org.dicomweb.gateway.core.json.DicomJson;

/**
 * Passes an upstream's DICOM JSON array (QIDO-RS results, metadata) on event by event, never holding more than one
 * token: the values of RetrieveURL (0008,1190) and every BulkDataURI are rewritten to the gateway's own URLs on the
 * way, everything else is written as it came. A BulkDataURI is rewritten knowing its tag path in the data set (tags
 * in hex, item indexes from 0: {@code 7FE00010}, {@code 00540016/0/00181072}), the gateway's own name for it. Made by
 * {@link #open}, which reads up to the first object so that an empty answer is known before the response starts.
 */
final class JsonRewriter {

    static final String RETRIEVE_URL = "00081190";
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    /**
     * Where a value sits: the container's kind, the key it is under, for an object the current key, for an array the
     * index of the current element.
     */
    private static final class Frame {
        final boolean object;
        final String underKey;
        String key;
        int index = -1;

        Frame(boolean object, String underKey) {
            this.object = object;
            this.underKey = underKey;
        }
    }

    private final JsonParser parser;
    private final UnaryOperator<String> retrieveUrl;
    private final BiFunction<String, String, String> bulkDataUri;
    private final String upstream;
    private JsonParser.Event first;

    private JsonRewriter(JsonParser parser, UnaryOperator<String> retrieveUrl,
            BiFunction<String, String, String> bulkDataUri, String upstream) {
        this.parser = parser;
        this.retrieveUrl = retrieveUrl;
        this.bulkDataUri = bulkDataUri;
        this.upstream = upstream;
    }

    /**
     * Reads the array's start and its first event; an answer that is not a JSON array fails here. {@code bulkDataUri}
     * gets each BulkDataURI and its tag path.
     */
    static JsonRewriter open(InputStream body, UnaryOperator<String> retrieveUrl,
            BiFunction<String, String, String> bulkDataUri, String upstream) throws IOException {
        JsonRewriter rewriter = new JsonRewriter(PARSERS.createParser(body), retrieveUrl, bulkDataUri, upstream);
        try {
            if (!rewriter.parser.hasNext() || rewriter.parser.next() != JsonParser.Event.START_ARRAY) {
                throw new IOException(upstream + " answered something other than a JSON array");
            }
            rewriter.first = rewriter.parser.next();
        } catch (JsonException e) {
            throw asIo(e, upstream);
        }
        return rewriter;
    }

    /** An empty array ({@code []}). */
    boolean isEmpty() {
        return first == JsonParser.Event.END_ARRAY;
    }

    /**
     * Writes the array to {@code out}, object by object as they come. A failure midway (the upstream's body cut or
     * malformed, the client gone) throws without closing the array, so the body cannot pass for complete.
     */
    void writeTo(OutputStream out) throws IOException {
        JsonGenerator json = DicomJson.generator(out);
        Deque<Frame> frames = new ArrayDeque<>();
        try {
            json.writeStartArray();
            frames.push(new Frame(false, null));
            JsonParser.Event event = first;
            while (true) {
                copy(event, frames, json);
                if (frames.isEmpty()) {
                    break; // the array's end: nothing after it is read
                }
                if (frames.size() == 1 && event == JsonParser.Event.END_OBJECT) {
                    json.flush(); // each top-level object goes out as soon as it is complete
                }
                event = parser.next();
            }
            json.flush();
        } catch (JsonException e) {
            throw asIo(e, upstream);
        } finally {
            parser.close();
        }
    }

    private void copy(JsonParser.Event event, Deque<Frame> frames, JsonGenerator json) {
        Frame frame = frames.peek();
        String key = frame.object ? frame.key : null;
        if (!frame.object && event != JsonParser.Event.END_ARRAY) {
            frame.index++;
        }
        switch (event) {
            case KEY_NAME -> frame.key = parser.getString();
            case START_OBJECT -> {
                if (key != null) {
                    json.writeStartObject(key);
                } else {
                    json.writeStartObject();
                }
                frames.push(new Frame(true, key));
            }
            case START_ARRAY -> {
                if (key != null) {
                    json.writeStartArray(key);
                } else {
                    json.writeStartArray();
                }
                frames.push(new Frame(false, key));
            }
            case END_OBJECT, END_ARRAY -> {
                json.writeEnd();
                frames.pop();
            }
            case VALUE_STRING -> {
                String value = rewritten(parser.getString(), frames);
                if (key != null) {
                    json.write(key, value);
                } else {
                    json.write(value);
                }
            }
            case VALUE_NUMBER -> {
                if (key != null) {
                    json.write(key, parser.getBigDecimal());
                } else {
                    json.write(parser.getBigDecimal());
                }
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                if (key != null) {
                    json.write(key, event == JsonParser.Event.VALUE_TRUE);
                } else {
                    json.write(event == JsonParser.Event.VALUE_TRUE);
                }
            }
            case VALUE_NULL -> {
                if (key != null) {
                    json.writeNull(key);
                } else {
                    json.writeNull();
                }
            }
        }
    }

    /** A BulkDataURI, or a string of the Value array of a RetrieveURL attribute, rewritten; others as they are. */
    private String rewritten(String value, Deque<Frame> frames) {
        Frame frame = frames.peek();
        if (frame.object && "BulkDataURI".equals(frame.key)) {
            return bulkDataUri.apply(value, tagPath(frames));
        }
        if (!frame.object && "Value".equals(frame.underKey) && frames.size() >= 2) {
            Frame attribute = secondFromTop(frames);
            if (RETRIEVE_URL.equals(attribute.underKey)) {
                return retrieveUrl.apply(value);
            }
        }
        return value;
    }

    /**
     * The tag path of the attribute whose object is on top: from the bottom, the results array, then per level an item
     * object (its current key is the tag), the attribute object, and (one level down) its Value array of items.
     */
    private static String tagPath(Deque<Frame> frames) {
        Frame[] bottomUp = new Frame[frames.size()];
        Iterator<Frame> fromBottom = frames.descendingIterator();
        for (int i = 0; fromBottom.hasNext(); i++) {
            bottomUp[i] = fromBottom.next();
        }
        StringBuilder path = new StringBuilder(String.valueOf(bottomUp[1].key).toUpperCase());
        for (int level = 3; level + 1 < bottomUp.length; level += 3) {
            path.append('/').append(bottomUp[level].index).append('/')
                    .append(String.valueOf(bottomUp[level + 1].key).toUpperCase());
        }
        return path.toString();
    }

    private static Frame secondFromTop(Deque<Frame> frames) {
        var iterator = frames.iterator();
        iterator.next();
        return iterator.next();
    }

    /** Parsson reports an I/O failure of the stream under it (a read timeout too) as a JsonException. */
    private static IOException asIo(JsonException e, String upstream) {
        return e.getCause() instanceof IOException io ? io
                : new IOException(upstream + " sent malformed JSON: " + e.getMessage(), e);
    }

    /** Drops the rest of the answer (with its connection) without writing. */
    void close() {
        parser.close();
    }
}
