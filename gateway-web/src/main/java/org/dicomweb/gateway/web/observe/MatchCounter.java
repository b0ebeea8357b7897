package org.dicomweb.gateway.web.observe;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntConsumer;

/**
 * Counts the objects of a JSON array as it passes (a QIDO-RS answer: one object per match), whichever backend wrote
 * it, without holding any of it: each byte goes through unchanged, and a small state machine follows only the nesting
 * depth and whether it is inside a string.
 */
final class MatchCounter extends FilterOutputStream {

    private final IntConsumer matched;
    private int depth;
    private boolean inString;
    private boolean escaped;

    MatchCounter(OutputStream out, IntConsumer matched) {
        super(out);
        this.matched = matched;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        follow((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        for (int i = offset; i < offset + length; i++) {
            follow(bytes[i]);
        }
    }

    private void follow(byte b) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = false;
            }
            return;
        }
        switch (b) {
            case '"' -> inString = true;
            case '[', '{' -> depth++;
            case ']', '}' -> {
                depth--;
                if (b == '}' && depth == 1) {
                    matched.accept(1); // a match is counted once it is written whole
                }
            }
            default -> {
                // values, separators and white space do not nest
            }
        }
    }
}
