package org.dicomweb.gateway.core.transcode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.TransferSyntax;
import org.dicomweb.gateway.testdata.CollectedParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.wado.InstanceSink;

/** Parts in the asked syntax pass, others are transcoded, what cannot be is left out and named in the epilogue. */
class TranscodingSinkTest {

    @TempDir
    Path work;


    @Test
    void everyPartComesOutInTheAskedSyntaxOrIsNamed() throws Exception {
        Path source = CodecFixtures.ctSlice();
        Path rle = work.resolve("rle.dcm");
        CodecFixtures.run("dcmcrle", source.toString(), rle.toString());
        byte[] nativeBytes = Files.readAllBytes(source);
        CollectedParts collected = new CollectedParts();
        for (SpoolBudget budget : List.of(new SpoolBudget(0, 0), new SpoolBudget(4, 1024))) { // files, then memory
            collected = new CollectedParts();
            TranscodingSink sink = new TranscodingSink(collected, TransferSyntax.ExplicitVRLittleEndian, budget,
                    work);
            write(sink, "application/dicom; transfer-syntax=" + TransferSyntax.ExplicitVRLittleEndian, nativeBytes);
            write(sink, "application/dicom; transfer-syntax=" + RleCodec.TRANSFER_SYNTAX, Files.readAllBytes(rle));
            write(sink, "application/dicom; transfer-syntax=" + TransferSyntax.JPEG2000, new byte[300]);
            sink.finish("Warning: ORTHANC: C-GET of study 1.2 ended with status 0xb000");
            assertEquals(2, collected.parts.size(), collected.types.toString());
            assertArrayEquals(nativeBytes, collected.parts.get(0).toByteArray(), "passed as it came");
            assertEquals("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", collected.types.get(1));
            Path decoded = work.resolve("decoded.dcm");
            Files.write(decoded, collected.parts.get(1).toByteArray());
            assertArrayEquals(CodecFixtures.read(source).frames().get(0), CodecFixtures.read(decoded).frames().get(0));
            assertTrue(collected.epilogue.startsWith("Warning: ORTHANC: C-GET of study 1.2 ended with status 0xb000"
                    + "\r\nWarning: 1 instance(s) left out, not transcodable to 1.2.840.10008.1.2.1: "),
                    collected.epilogue);
        }
        try (var files = Files.list(work)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("part-")).toList(),
                    "no temporary file left");
        }
    }

    private static void write(InstanceSink sink, String contentType, byte[] bytes) throws IOException {
        OutputStream part = sink.nextPart(contentType);
        for (int at = 0; at < bytes.length; at += 10_000) {
            part.write(bytes, at, Math.min(10_000, bytes.length - at));
        }
    }
}
