package org.dicomweb.gateway.core.transcode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;

import org.dicomweb.gateway.core.dicom.Part10;

/**
 * Rewrites a Part 10 instance in another transfer syntax as it streams (PS3.5 §10): the File Meta Information gets
 * the new Transfer Syntax UID, the data set before the pixels is re-encoded as the target needs (implicit or explicit
 * VR, little or big endian; PixelMed writes these few kilobytes), and the Pixel Data is converted one frame at a time
 * — decoded by the source syntax's {@link FrameCodec}, encoded by the target's — so memory is bounded by a frame
 * whatever the number of frames. The Image Pixel attributes follow what the codecs say ({@link FrameCodec#decoded},
 * {@link FrameCodec#encoded}), and lossy encoding is recorded (PS3.3 C.7.6.1.1.5).
 *
 * <p>Elements after the Pixel Data (Data Set Trailing Padding, Digital Signatures) are left out: padding means
 * nothing, and a signature does not hold once the pixels are re-encoded.
 */
public final class InstanceTranscoder {

    private InstanceTranscoder() {
    }

    /** What the transcoder writes from any source it reads: the native syntaxes, then those a codec encodes. */
    public static List<String> produced() {
        List<String> produced = new ArrayList<>(NativeSyntax.produced());
        produced.addAll(FrameCodecs.encodable());
        return List.copyOf(produced);
    }

    /** Whether frames in {@code transferSyntax} can be read: native, or a codec decodes the syntax. */
    public static boolean reads(String transferSyntax) {
        return NativeSyntax.of(transferSyntax).isPresent() || FrameCodecs.forTransferSyntax(transferSyntax).isPresent();
    }

    /**
     * Reads one Part 10 instance from {@code in} and writes it to {@code out} in {@code target}. A
     * {@link NotTranscodableException} (unknown syntax, pixels no codec handles) comes before anything is written; a
     * plain IOException (a truncated file, a bitstream the codec rejects) may come midway.
     */
    public static void transcode(InputStream in, OutputStream out, String target) throws IOException {
        InstanceHeader header = InstanceHeader.read(in);
        String what = "instance " + header.sopInstanceUid() + " in " + header.transferSyntax;
        FrameConversion conversion = FrameConversion.of(header, target, what);
        try {
            transcode(header, conversion, out, target);
        } catch (NotTranscodableException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
    }

    private static void transcode(InstanceHeader header, FrameConversion conversion, OutputStream out, String target)
            throws IOException {
        if (header.pixelDataLength < 0) {
            writeHeader(out, header, target);
            return;
        }
        FrameSource frames = header.pixelDataLength == InstanceHeader.UNDEFINED_LENGTH
                ? new EncapsulatedFrames(header.in, header.transferSyntax, conversion.source().numberOfFrames())
                : new NativeFrames(header.in, conversion.source(), header.pixelDataLength,
                        header.words && NativeSyntax.of(header.transferSyntax).orElseThrow().bigEndian());
        // The first frame is converted before the header goes out: its compression ratio is the one recorded.
        byte[] first = frames.next();
        byte[] converted = first == null ? null : conversion.convert(first);
        conversion.describe(header.dataSet, first == null ? 0 : converted.length);
        writeHeader(out, header, target);
        Optional<NativeSyntax> nativeTarget = NativeSyntax.of(target);
        PixelDataWriter pixels = nativeTarget.isPresent()
                ? PixelDataWriter.nativeValue(out, nativeTarget.get(), conversion.target())
                : PixelDataWriter.encapsulated(out);
        for (byte[] frame = converted; frame != null; frame = next(frames, conversion)) {
            pixels.frame(frame);
        }
        pixels.finish();
    }

    private static byte[] next(FrameSource frames, FrameConversion conversion) throws IOException {
        byte[] frame = frames.next();
        return frame == null ? null : conversion.convert(frame);
    }

    private static void writeHeader(OutputStream out, InstanceHeader header, String target) throws IOException {
        Part10.writeHeader(out, header.sopClassUid(), header.sopInstanceUid(), target, header.sourceAet);
        try {
            DicomOutputStream dicom = new DicomOutputStream(out, null, target);
            header.dataSet.write(dicom);
            dicom.flush();
        } catch (DicomException e) {
            throw new IOException("cannot write the data set of instance " + header.sopInstanceUid() + ": "
                    + e.getMessage(), e);
        }
    }
}
