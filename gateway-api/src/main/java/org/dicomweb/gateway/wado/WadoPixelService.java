package org.dicomweb.gateway.wado;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * WADO-RS frames (PS3.18 §10.4.1.1.4) and rendered and thumbnail resources (§10.4.1.1.3, §10.4.1.1.6) of one PACS,
 * served from the instance cache like {@link WadoMetadataService}.
 */
public interface WadoPixelService {

    /**
     * The frames of an instance, in the order asked (numbers from 1), encoded as the cached file holds them. Fails
     * with 404 for a frame beyond the instance's count, 406 if its pixel data cannot be served as frames.
     */
    CompletionStage<Frames> frames(String aet, WadoRequest instance, List<Integer> frameNumbers);

    /**
     * One frame of a study's, series' or instance's representative instance (see the conformance statement), or
     * {@code frame} of the instance named, rendered as {@code rendering} says: the encoded image. Fails with 406 if
     * the pixel data cannot be decoded.
     */
    CompletionStage<byte[]> rendered(String aet, WadoRequest target, int frame, Rendering rendering);
}
