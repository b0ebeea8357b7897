package org.dicomweb.gateway.core.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.transcode.PixelDescription;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.NotFoundInPacsException;

class FrameLayoutTest {

    @Test
    void theTextFormKeepsEveryRegionOfEveryFrame() {
        FrameLayout layout = new FrameLayout("1.2.840.10008.1.2.4.50", "image/jpeg", List.of(
                List.of(new FrameLayout.Region(1200, 5000)),
                List.of(new FrameLayout.Region(6208, 100), new FrameLayout.Region(6316, 4000000000L))),
                new PixelDescription(480, 640, 3, 8, 8, 7, 0, 0, "YBR_FULL_422", 2));
        assertEquals(layout, FrameLayout.decode(layout.encode()));
        assertEquals("1.2.840.10008.1.2.4.50|image/jpeg|1200+5000;6208+100,6316+4000000000"
                + "|480,640,3,8,8,7,0,0,YBR_FULL_422,2", layout.encode());
    }

    @Test
    void layoutsStoredWithoutPixelsStillRead() {
        FrameLayout layout = FrameLayout.decode("1.2.840.10008.1.2.5|image/dicom-rle|1200+5000");
        assertEquals(null, layout.pixels());
        assertEquals("1.2.840.10008.1.2.5|image/dicom-rle|1200+5000", layout.encode());
    }

    @Test
    void frameNumbersAreChecked() {
        FrameLayout layout = FrameLayout.decode("1.2.840.10008.1.2.1|application/octet-stream|10+4;14+4");
        layout.check(List.of(2, 1), "instance X");
        assertThrows(InvalidRequestException.class, () -> layout.check(List.of(0), "instance X"));
        assertEquals("instance X has 2 frame(s), no frame 3", assertThrows(NotFoundInPacsException.class,
                () -> layout.check(List.of(1, 3), "instance X")).getMessage());
    }
}
