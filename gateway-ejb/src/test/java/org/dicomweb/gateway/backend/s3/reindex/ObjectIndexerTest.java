package org.dicomweb.gateway.backend.s3.reindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.pixelmed.dicom.DicomException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.backend.s3.StoredFrames;
import org.dicomweb.gateway.core.dicom.InstanceFile;

/** The reindex reads the start of an object only: when that is enough, and what it can tell from it. */
class ObjectIndexerTest {

    @TempDir
    Path dir;

    @Test
    void theHeaderOfAnImageEndsWithinItsFirstBytes() throws IOException, DicomException {
        Path object = TestObjects.image(dir.resolve("image.dcm"), 4, 0);
        long pixelOffset = InstanceFile.read(object).pixelData().orElseThrow().offset();
        Path start = TestObjects.start(object, pixelOffset, dir.resolve("start.dcm"));

        Optional<InstanceFile> header = ObjectIndexer.headerWithin(start);

        assertTrue(header.isPresent(), "the pixel data's element header is within the bytes read");
        assertEquals("1.2.826.0.1.3680043.10.1.3", com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(
                header.get().dataSet(), com.pixelmed.dicom.TagFromName.SOPInstanceUID));
        // Native frames are told from the header alone, the same as from the whole object.
        assertEquals(StoredFrames.layout(InstanceFile.read(object), Files.size(object)),
                StoredFrames.layout(header.get(), Files.size(object)));
    }

    @Test
    void aHeaderCutShortAnywhereAsksForTheWholeObject() throws IOException, DicomException {
        Path object = TestObjects.image(dir.resolve("image.dcm"), 1, 3000);
        long pixelOffset = InstanceFile.read(object).pixelData().orElseThrow().offset();
        // Every cut before the end of the pixel data's element header (12 bytes before its value): never a
        // header taken for complete, never an exception other than "read more".
        for (long cut = 132; cut < pixelOffset; cut++) {
            Path start = TestObjects.start(object, cut, dir.resolve("start.dcm"));
            assertEquals(Optional.empty(), ObjectIndexer.headerWithin(start).map(InstanceFile::file),
                    "cut at " + cut + " of " + pixelOffset);
        }
    }

    @Test
    void framesBeyondTheObjectAreNotPromised() throws IOException, DicomException {
        Path object = TestObjects.image(dir.resolve("image.dcm"), 4, 0);
        long pixelOffset = InstanceFile.read(object).pixelData().orElseThrow().offset();
        // An object shorter than its pixel data claims (cut by the tool that stored it): no ranged frames.
        Path cut = TestObjects.start(object, pixelOffset + 100, dir.resolve("cut.dcm"));
        assertEquals(null, StoredFrames.layout(InstanceFile.read(cut), Files.size(cut)));
    }

    @Test
    void bytesThatAreNotPart10AreRefusedBeforeAnyParse() throws IOException {
        Path notDicom = Files.write(dir.resolve("x.dcm"), "{\"not\": \"dicom\"}".repeat(20).getBytes());
        IOException refused = assertThrows(IOException.class, () -> ObjectIndexer.requirePart10(notDicom));
        assertEquals("not a DICOM Part 10 file (no \"DICM\" at byte 128)", refused.getMessage());
        Path tooShort = Files.write(dir.resolve("y.dcm"), new byte[10]);
        assertThrows(IOException.class, () -> ObjectIndexer.requirePart10(tooShort));
    }
}
