package org.dicomweb.gateway.backend.dimse.association;

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
public final class DimseCommands {

    /** Command Data Set Type (0000,0800) value meaning "no data set follows". */
    static final int NO_DATA_SET = 0x0101;

    private DimseCommands() {
    }

    public static boolean hasDataSet(AttributeList command) {
        return Attribute.getSingleIntegerValueOrDefault(command, TagFromName.CommandDataSetType, NO_DATA_SET)
                != NO_DATA_SET;
    }

    public static int status(AttributeList command) {
        return Attribute.getSingleIntegerValueOrDefault(command, TagFromName.Status, 0xFFFF);
    }

    public static byte[] encode(AttributeList dataSet, String transferSyntax) throws IOException, DicomException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        dataSet.write(new DicomOutputStream(bytes, null, transferSyntax));
        return bytes.toByteArray();
    }

    /** Message IDs of the gateway's own requests: PixelMed's counter is a plain static int, not safe across threads. */
    private static final java.util.concurrent.atomic.AtomicInteger MESSAGE_IDS = new java.util.concurrent.atomic.AtomicInteger();

    public static int nextMessageId() {
        return MESSAGE_IDS.updateAndGet(id -> id >= 0xFFFF ? 1 : id + 1);
    }

    /**
     * C-MOVE-RQ (PS3.7 §9.3.4.1) with a message ID of our own, since the C-STOREs it causes are routed back to the
     * waiting request by that ID (Move Originator Message ID).
     */
    public static byte[] moveRequest(String sopClass, int messageId, String destination) throws IOException, DicomException {
        AttributeList command = new AttributeList();
        put(command, TagFromName.AffectedSOPClassUID, sopClass);
        put(command, TagFromName.CommandField, "33"); // 0x0021 C-MOVE-RQ
        put(command, TagFromName.MessageID, Integer.toString(messageId));
        put(command, TagFromName.MoveDestination, destination);
        put(command, TagFromName.Priority, "0");
        put(command, TagFromName.CommandDataSetType, "0"); // an identifier follows
        return withGroupLength(encode(command, com.pixelmed.dicom.TransferSyntax.ImplicitVRLittleEndian));
    }

    private static void put(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value) throws DicomException {
        Attribute attribute = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        attribute.addValue(value);
        list.put(attribute);
    }

    /** Prefixes a command's elements with Command Group Length (0000,0000), which PS3.7 requires first. */
    private static byte[] withGroupLength(byte[] elements) {
        ByteBuffer buffer = ByteBuffer.allocate(12 + elements.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putShort((short) 0).putShort((short) 0).putInt(4).putInt(elements.length).put(elements);
        return buffer.array();
    }

    /**
     * C-CANCEL-RQ (PS3.7 §9.3.2.3): PixelMed has no command class for it. Implicit VR Little Endian, as every command:
     * Command Group Length, Command Field 0x0FFF, Message ID Being Responded To, Command Data Set Type "none".
     */
    public static byte[] cancel(int messageId) {
        ByteBuffer buffer = ByteBuffer.allocate(42).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putShort((short) 0x0000).putShort((short) 0x0000).putInt(4).putInt(30);
        buffer.putShort((short) 0x0000).putShort((short) 0x0100).putInt(2).putShort((short) 0x0FFF);
        buffer.putShort((short) 0x0000).putShort((short) 0x0120).putInt(2).putShort((short) messageId);
        buffer.putShort((short) 0x0000).putShort((short) 0x0800).putInt(2).putShort((short) NO_DATA_SET);
        return buffer.array();
    }
}
