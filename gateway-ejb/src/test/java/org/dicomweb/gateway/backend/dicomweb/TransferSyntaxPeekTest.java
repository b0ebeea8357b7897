package org.dicomweb.gateway.backend.dicomweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.dicom.Part10;

class TransferSyntaxPeekTest {

    @Test
    void readsTheMetaInformationsTransferSyntaxAndLeavesTheStreamWhereItWas() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Part10.writeHeader(file, "1.2.840.10008.5.1.4.1.1.7", "1.2.3", "1.2.840.10008.1.2.4.50", "DICOMWEB");
        file.write("data set".getBytes(StandardCharsets.US_ASCII));
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(file.toByteArray()));
        assertEquals("1.2.840.10008.1.2.4.50", TransferSyntaxPeek.of(in));
        assertArrayEquals(file.toByteArray(), in.readAllBytes());
    }

    @Test
    void noMetaInformationIsNull() throws IOException {
        assertNull(TransferSyntaxPeek.of(new BufferedInputStream(new ByteArrayInputStream(new byte[300]))));
        assertNull(TransferSyntaxPeek.of(new BufferedInputStream(new ByteArrayInputStream(new byte[10]))));
    }
}
