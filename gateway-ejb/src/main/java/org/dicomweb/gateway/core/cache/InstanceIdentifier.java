package org.dicomweb.gateway.core.cache;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the UIDs of a received Part 10 file. The cache knows files, not DICOM: the DICOM layer supplies this, so the
 * cache stays free of any toolkit and any storage backend can use it.
 */
public interface InstanceIdentifier {

    InstanceUids identify(Path part10File) throws IOException;
}
