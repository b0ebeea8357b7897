package org.dicomweb.gateway.testdata;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.dicomweb.gateway.qido.QidoResult;

/** A search result given as its DICOM JSON array: what a fake PACS answers a search with. */
public record JsonMatches(String array, List<String> warnings) implements QidoResult {

    public JsonMatches(String array) {
        this(array, List.of());
    }

    @Override
    public boolean hasMatches() {
        return !array.equals("[]");
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(array.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void abandon() {
        // nothing held
    }
}
