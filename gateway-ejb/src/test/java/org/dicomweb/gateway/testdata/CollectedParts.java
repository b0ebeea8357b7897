package org.dicomweb.gateway.testdata;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import org.dicomweb.gateway.wado.InstanceSink;

/**
 * The end of a sink chain in tests: each part whole, with its content type, and the epilogue; until the chain
 * finishes, the epilogue reads {@code (not finished)}, so a test of a null epilogue also proves it finished.
 */
public final class CollectedParts implements InstanceSink {
    public final List<String> types = new ArrayList<>();
    public final List<ByteArrayOutputStream> parts = new ArrayList<>();
    public String epilogue = "(not finished)";

    @Override
    public OutputStream nextPart(String contentType) {
        types.add(contentType);
        parts.add(new ByteArrayOutputStream());
        return parts.get(parts.size() - 1);
    }

    @Override
    public void finish(String epilogue) {
        this.epilogue = epilogue;
    }
}
