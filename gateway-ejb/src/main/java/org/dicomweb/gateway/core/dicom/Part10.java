package org.dicomweb.gateway.core.dicom;

import java.io.IOException;
import java.io.OutputStream;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TransferSyntax;

/** The head of a DICOM file (PS3.10 §7.1) put before a data set received over the network. */
public final class Part10 {

    private static final byte[] PREAMBLE = new byte[128];

    private Part10() {
    }

    /** Preamble, "DICM", then the File Meta Information in Explicit VR Little Endian. */
    public static void writeHeader(OutputStream out, String sopClassUid, String sopInstanceUid, String transferSyntax,
            String sourceAet) throws IOException {
        try {
            AttributeList meta = new FileMetaInformation(sopClassUid, sopInstanceUid, transferSyntax, sourceAet)
                    .getAttributeList();
            out.write(PREAMBLE);
            out.write(new byte[] {'D', 'I', 'C', 'M'});
            DicomOutputStream dicom = new DicomOutputStream(out, null, TransferSyntax.ExplicitVRLittleEndian);
            meta.write(dicom);
            dicom.flush();
        } catch (DicomException e) {
            throw new IOException("cannot write the file meta information of " + sopInstanceUid, e);
        }
    }
}
