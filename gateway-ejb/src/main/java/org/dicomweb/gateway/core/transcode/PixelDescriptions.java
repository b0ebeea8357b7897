package org.dicomweb.gateway.core.transcode;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;

/** The {@link PixelDescription} of a data set's Image Pixel Module, with the defaults PS3.3 C.7.6.3 implies. */
public final class PixelDescriptions {

    private PixelDescriptions() {
    }

    public static PixelDescription of(AttributeList dataSet) {
        int bitsAllocated = integer(dataSet, TagFromName.BitsAllocated, 0);
        int bitsStored = integer(dataSet, TagFromName.BitsStored, bitsAllocated);
        return new PixelDescription(integer(dataSet, TagFromName.Rows, 0), integer(dataSet, TagFromName.Columns, 0),
                integer(dataSet, TagFromName.SamplesPerPixel, 1), bitsAllocated, bitsStored,
                integer(dataSet, TagFromName.HighBit, bitsStored - 1),
                integer(dataSet, TagFromName.PixelRepresentation, 0),
                integer(dataSet, TagFromName.PlanarConfiguration, 0),
                Attribute.getSingleStringValueOrDefault(dataSet, TagFromName.PhotometricInterpretation, "MONOCHROME2")
                        .trim(),
                integer(dataSet, TagFromName.NumberOfFrames, 1));
    }

    private static int integer(AttributeList dataSet, AttributeTag tag, int absent) {
        return Attribute.getSingleIntegerValueOrDefault(dataSet, tag, absent);
    }
}
