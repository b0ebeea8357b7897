package org.dicomweb.gateway.backend.s3.wado;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.json.stream.JsonGenerator;

import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.json.BulkDataValues;
import org.dicomweb.gateway.core.json.DicomJson;

/**
 * The DICOM JSON the bucket keeps beside each instance (and per series, an array of them): metadata without bulk
 * data, whose BulkDataURIs begin with {@link #BASE}, a placeholder replaced by the AE's retrieve URL as the metadata
 * is served ({@link BaseReplacingStream}), since the gateway's host name is the client's business, not the bucket's.
 */
public final class StoredMetadata {

    /** Stands for the AE's retrieve base URL ({@code http://host/dicomweb/aets/S3}); not a URL any data set holds. */
    static final String BASE = "urn:dicomweb-gateway:retrieve-base";
    static final byte[] BASE_BYTES = BASE.getBytes(StandardCharsets.US_ASCII);

    private StoredMetadata() {
    }

    /** The instance's JSON object; {@code thresholdBytes} as gateway.wado.bulkdata-threshold-bytes. */
    public static byte[] of(InstanceFile instance, String studyUid, String seriesUid, int thresholdBytes) {
        String instanceUrl = BASE + "/studies/" + studyUid + "/series/" + seriesUid + "/instances/"
                + sopInstanceUid(instance);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        JsonGenerator json = DicomJson.generator(bytes);
        DicomJson.writeObject(json, instance.dataSetWithPixelDataPlaceholder(),
                BulkDataValues.locator(instanceUrl, thresholdBytes));
        json.close();
        return bytes.toByteArray();
    }

    private static String sopInstanceUid(InstanceFile instance) {
        return com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(instance.dataSet(),
                com.pixelmed.dicom.TagFromName.SOPInstanceUID);
    }

    /** {@code out}, with every {@link #BASE} written to it replaced by {@code retrieveBase}. */
    static OutputStream served(OutputStream out, String retrieveBase) {
        return new BaseReplacingStream(out, BASE_BYTES, retrieveBase.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Copies, replacing a fixed byte string whose first byte occurs in it only there (so a failed partial match can
     * restart at the failing byte). The bytes of a partial match are held until it is decided, also across writes.
     */
    static final class BaseReplacingStream extends OutputStream {
        private final OutputStream out;
        private final byte[] token;
        private final byte[] replacement;
        private int matched;

        BaseReplacingStream(OutputStream out, byte[] token, byte[] replacement) {
            this.out = out;
            this.token = token;
            this.replacement = replacement;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            int run = off; // the bytes from here to i are passed on as they are
            for (int i = off; i < off + len; i++) {
                byte b = bytes[i];
                if (matched > 0 && b != token[matched]) {
                    out.write(token, 0, matched); // they were held, not part of the run
                    matched = 0;
                    run = i;
                }
                if (b == token[matched]) {
                    if (matched == 0) {
                        out.write(bytes, run, i - run);
                    }
                    if (++matched == token.length) {
                        out.write(replacement);
                        matched = 0;
                    }
                    run = i + 1;
                }
            }
            out.write(bytes, run, off + len - run);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        /** Passes on held bytes; the target stays open (it is the response's). */
        @Override
        public void close() throws IOException {
            if (matched > 0) {
                out.write(token, 0, matched);
                matched = 0;
            }
            out.flush();
        }
    }
}
