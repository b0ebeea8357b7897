package org.dicomweb.gateway.backend.dimse.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.transcode.FrameCodecs;

/** What a C-GET proposes for one asked syntax: it first, then what the gateway transcodes from, never lossy ones. */
class RetrieveContextsTest {

    private static final List<String> DECODABLE = FrameCodecs.decodable();
    private static final List<String> LOSSY = List.of(TransferSyntax.JPEGBaseline, TransferSyntax.JPEGExtended,
            TransferSyntax.JPEGNLS, TransferSyntax.JPEG2000);

    @Test
    void nativeAskedFirstThenTheOtherNativeAndTheLosslessDecodableOnes() {
        List<String> proposed = RetrieveContexts.forRequest(TransferSyntax.ImplicitVRLittleEndian, DECODABLE);
        assertEquals(TransferSyntax.ImplicitVRLittleEndian, proposed.get(0));
        assertEquals(List.of(TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian),
                proposed.subList(1, 3));
        List<String> compressed = proposed.subList(3, proposed.size());
        assertEquals(DECODABLE.stream().filter(ts -> !LOSSY.contains(ts)).sorted().toList(),
                compressed.stream().sorted().toList(),
                "the lossless decodable ones, no Deflated, no lossy syntax");
    }

    @Test
    void aCompressedAskIsProposedOnceAndFirst() {
        List<String> proposed = RetrieveContexts.forRequest(TransferSyntax.RLE, DECODABLE);
        assertEquals(TransferSyntax.RLE, proposed.get(0));
        assertEquals(1, proposed.stream().filter(TransferSyntax.RLE::equals).count());
        assertEquals(TransferSyntax.ExplicitVRLittleEndian, proposed.get(1));
    }
}
