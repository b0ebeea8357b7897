package org.dicomweb.gateway.backend.s3.reindex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;

import org.dicomweb.gateway.testdata.CtImages;

/** Part 10 files as another tool would put them into a bucket: a native CT image, its header padded at will. */
final class TestObjects {

    private TestObjects() {
    }

    /**
     * A native 16-bit image of {@code frames} 8×8 frames in Explicit VR Little Endian; {@code headerPadding} bytes of
     * a private OB element before the pixel data make the header as long as a test needs.
     */
    static Path image(Path file, int frames, int headerPadding) throws IOException, DicomException {
        AttributeList list = CtImages.image("1.2.826.0.1.3680043.10.1.1", "1.2.826.0.1.3680043.10.1.2",
                "1.2.826.0.1.3680043.10.1.3", 8, 8, frames, new short[8 * 8 * frames]);
        if (headerPadding > 0) {
            LongStringAttribute creator = new LongStringAttribute(new AttributeTag(0x0029, 0x0010));
            creator.addValue("TEST");
            list.put(creator);
            OtherByteAttribute padding = new OtherByteAttribute(new AttributeTag(0x0029, 0x1010));
            padding.setValues(new byte[headerPadding]);
            list.put(padding);
        }
        return CtImages.write(list, file);
    }

    /** The first {@code bytes} of {@code file}, as a ranged GET fetches them. */
    static Path start(Path file, long bytes, Path into) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Files.write(into, Arrays.copyOf(all, (int) Math.min(bytes, all.length)));
    }
}
