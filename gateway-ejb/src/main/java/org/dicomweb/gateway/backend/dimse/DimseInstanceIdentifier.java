package org.dicomweb.gateway.backend.dimse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.core.cache.InstanceIdentifier;
import org.dicomweb.gateway.core.cache.InstanceUids;

/**
 * Reads a file's UIDs for the cache, stopping after group 0020 (where the study and series UIDs are): its transfer
 * syntax from the file meta information, the others from the data set.
 */
@ApplicationScoped
public class DimseInstanceIdentifier implements InstanceIdentifier {

    @Override
    public InstanceUids identify(Path part10File) throws IOException {
        AttributeList list = new AttributeList();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(part10File))) {
            list.read(new DicomInputStream(in), (read, tag, bytesRead) -> read == list && tag.getGroup() > 0x0020);
        } catch (DicomException e) {
            throw new IOException("received instance is not readable DICOM: " + e.getMessage(), e);
        }
        return new InstanceUids(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID));
    }
}
