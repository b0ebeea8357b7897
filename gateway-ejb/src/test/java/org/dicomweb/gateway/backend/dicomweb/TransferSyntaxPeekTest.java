package org.dicomweb.gateway.backend.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.dicom.Part10;

class TransferSyntaxPeekTest {

    @Test
    void readsTheMetaInformationsTransferSyntax() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Part10.writeHeader(file, "1.2.840.10008.5.1.4.1.1.7", "1.2.3", "1.2.840.10008.1.2.4.50", "DICOMWEB");
        file.write("data set".getBytes(StandardCharsets.US_ASCII));
        byte[] head = file.toByteArray();
        byte[] shifted = new byte[head.length + 7];
        System.arraycopy(head, 0, shifted, 7, head.length);
        assertEquals("1.2.840.10008.1.2.4.50", TransferSyntaxPeek.of(head, 0, head.length));
        assertEquals("1.2.840.10008.1.2.4.50", TransferSyntaxPeek.of(shifted, 7, head.length), "at an offset");
        assertNull(TransferSyntaxPeek.of(head, 0, 140), "the element is not within the bytes given");
    }

    @Test
    void noMetaInformationIsNull() throws IOException {
        assertNull(TransferSyntaxPeek.of(new byte[300], 0, 300));
        assertNull(TransferSyntaxPeek.of(new byte[10], 0, 10));
    }
}
