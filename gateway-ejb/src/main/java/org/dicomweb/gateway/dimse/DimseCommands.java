package org.dicomweb.gateway.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.TagFromName;

/** Small pieces of DIMSE message handling shared by the exchanges. */
final class DimseCommands {

    /** Command Data Set Type (0000,0800) value meaning "no data set follows". */
    static final int NO_DATA_SET = 0x0101;

    private DimseCommands() {
    }

    static boolean hasDataSet(AttributeList command) {
        return Attribute.getSingleIntegerValueOrDefault(command, TagFromName.CommandDataSetType, NO_DATA_SET)
                != NO_DATA_SET;
    }

    static int status(AttributeList command) {
        return Attribute.getSingleIntegerValueOrDefault(command, TagFromName.Status, 0xFFFF);
    }

    static byte[] encode(AttributeList dataSet, String transferSyntax) throws IOException, DicomException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        dataSet.write(new DicomOutputStream(bytes, null, transferSyntax));
        return bytes.toByteArray();
    }

    /**
     * C-CANCEL-RQ (PS3.7 §9.3.2.3): PixelMed has no command class for it. Implicit VR Little Endian, as every command:
     * Command Group Length, Command Field 0x0FFF, Message ID Being Responded To, Command Data Set Type "none".
     */
    static byte[] cancel(int messageId) {
        ByteBuffer buffer = ByteBuffer.allocate(42).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putShort((short) 0x0000).putShort((short) 0x0000).putInt(4).putInt(30);
        buffer.putShort((short) 0x0000).putShort((short) 0x0100).putInt(2).putShort((short) 0x0FFF);
        buffer.putShort((short) 0x0000).putShort((short) 0x0120).putInt(2).putShort((short) messageId);
        buffer.putShort((short) 0x0000).putShort((short) 0x0800).putInt(2).putShort((short) NO_DATA_SET);
        return buffer.array();
    }
}
