package org.dicomweb.gateway.core.transcode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.SpooledPart;
import org.dicomweb.gateway.wado.InstanceSink;

/**
 * Stands between a retrieval and its sink so that every part comes out in one transfer syntax: a part already in it
 * passes straight through; any other is held (memory chunks of the spool budget, else a temporary file) and, once
 * complete, transcoded into a second holding, which goes to the sink only when the whole instance converted. So an
 * instance that cannot be transcoded — no codec, a bitstream the codec rejects — is left out and named in the
 * epilogue, never a broken part.
 */
final class TranscodingSink implements InstanceSink {

    static final String DICOM = "application/dicom";

    private final InstanceSink sink;
    private final String target;
    private final SpoolBudget budget;
    private final Path spool;
    private final List<String> leftOut = new ArrayList<>();
    private SpooledPart.Writer held;

    TranscodingSink(InstanceSink sink, String target, SpoolBudget budget, Path spool) {
        this.sink = sink;
        this.target = target;
        this.budget = budget;
        this.spool = spool;
    }

    @Override
    public OutputStream nextPart(String contentType) throws IOException {
        writeHeld();
        if (target.equals(transferSyntaxOf(contentType))) {
            return sink.nextPart(contentType);
        }
        held = SpooledPart.writer(budget, spool);
        return held;
    }

    @Override
    public void finish(String epilogue) throws IOException {
        writeHeld();
        String report = leftOut.isEmpty() ? null : "Warning: " + leftOut.size() + " instance(s) left out, not"
                + " transcodable to " + target + ": " + String.join("; ", leftOut);
        sink.finish(epilogue == null ? report : report == null ? epilogue : epilogue + "\r\n" + report);
    }

    /** Frees what a broken-off retrieval left held; never throws. */
    void discard() {
        if (held != null) {
            held.discard();
            held = null;
        }
    }

    private void writeHeld() throws IOException {
        if (held == null) {
            return;
        }
        SpooledPart.Writer writer = held;
        held = null;
        SpooledPart.Writer converted = SpooledPart.writer(budget, spool);
        SpooledPart result;
        try (SpooledPart source = writer.done(); InputStream in = source.open()) {
            InstanceTranscoder.transcode(in, converted, target);
            result = converted.done();
        } catch (IOException | RuntimeException e) {
            converted.discard();
            leftOut.add(e.getMessage());
            return;
        }
        try (SpooledPart part = result; InputStream in = part.open()) {
            in.transferTo(sink.nextPart(DICOM + "; transfer-syntax=" + target)); // the client's failure: it goes up
        }
    }

    /** The {@code transfer-syntax} parameter of a part's content type, null if it has none. */
    static String transferSyntaxOf(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().toLowerCase(Locale.ROOT).equals("transfer-syntax")) {
                return pair[1].trim().replace("\"", "");
            }
        }
        return null;
    }
}
