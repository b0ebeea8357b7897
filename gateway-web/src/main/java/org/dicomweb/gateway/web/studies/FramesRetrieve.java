package org.dicomweb.gateway.web.studies;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.NotAcceptableException;
import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.MultipartRelated;
import org.dicomweb.gateway.wado.WadoPixelService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * Runs a WADO-RS frames request (PS3.18 §10.4.1.1.4) for {@link StudiesResource}: the frame list, Accept negotiation
 * against the encoding the frames are held in (nothing is transcoded), one part per frame in the order asked.
 */
@ApplicationScoped
public class FramesRetrieve {

    private static final Pattern FRAME_LIST = Pattern.compile("[0-9]{1,9}(,[0-9]{1,9})*");
    private static final MediaType MULTIPART = MediaType.valueOf(WadoRetrieve.MULTIPART_RELATED);
    private static final String ANY = WadoRequest.ANY_TRANSFER_SYNTAX;

    @Inject
    WadoPixelService pixels;

    @Inject
    HttpServletRequest http;

    CompletionStage<Response> retrieve(HttpHeaders headers, String aet, String study, String series, String instance,
            String frameList) {
        List<Integer> numbers = frameNumbers(frameList);
        WadoRequest request = new WadoRequest(study, series, instance, ANY);
        List<MediaType> acceptable = headers.getAcceptableMediaTypes();
        ResponseBodies bodies = ResponseBodies.of(http);
        return pixels.frames(aet, request, numbers).thenApply(frames -> respond(frames, bodies, acceptable, instance));
    }

    /** A comma-separated list of frame numbers from 1 (PS3.18 §8.3.3.1), in the order the parts are to come. */
    static List<Integer> frameNumbers(String frameList) {
        if (!FRAME_LIST.matcher(frameList).matches()) {
            throw new InvalidRequestException("frame list '" + frameList + "' is not frame numbers separated by commas");
        }
        List<Integer> numbers = Arrays.stream(frameList.split(",")).map(Integer::valueOf).toList();
        if (numbers.contains(0)) {
            throw new InvalidRequestException("frame list '" + frameList + "': frames are numbered from 1");
        }
        return numbers;
    }

    private static Response respond(Frames frames, ResponseBodies bodies, List<MediaType> acceptable,
            String instance) {
        String partType;
        try {
            partType = partType(frames, acceptable, instance);
        } catch (RuntimeException e) {
            frames.close();
            throw e;
        }
        String boundary = MultipartRelated.newBoundary();
        String type = partType.substring(0, partType.indexOf(';'));
        return Response.ok(bodies.body(out -> frames.writeTo(new MultipartRelated(out, boundary), partType),
                        frames::close))
                .header(HttpHeaders.CONTENT_TYPE, WadoRetrieve.MULTIPART_RELATED + "; type=\"" + type
                        + "\"; boundary=" + boundary)
                .build();
    }

    /**
     * The part type of the first acceptable type (PS3.18 §8.7.3.5): {@code multipart/related} with {@code type} (by
     * default application/octet-stream) and {@code transfer-syntax} (by default Explicit VR Little Endian for octet
     * streams, the bitstream's own for images; {@code *}: as held) matching the frames, or any type.
     */
    private static String partType(Frames frames, List<MediaType> acceptable, String instance) {
        String own = frames.mediaType() + "; transfer-syntax=" + frames.transferSyntax();
        boolean nativeFrames = frames.mediaType().equals(Frames.NATIVE_MEDIA_TYPE);
        for (MediaType type : acceptable) {
            if (type.isWildcardType()) {
                return own;
            }
            if (!type.isCompatible(MULTIPART)) {
                continue;
            }
            String part = parameter(type, "type", Frames.NATIVE_MEDIA_TYPE);
            String syntax = parameter(type, "transfer-syntax", nativeFrames || !part.equals(frames.mediaType())
                    ? WadoRequest.DEFAULT_TRANSFER_SYNTAX : frames.transferSyntax());
            if (part.equals(frames.mediaType()) && (syntax.equals(ANY) || syntax.equals(frames.transferSyntax()))) {
                return own;
            }
            if (part.equals(Frames.NATIVE_MEDIA_TYPE) && syntax.equals(ANY)) {
                // Octet streams in whatever transfer syntax the frames are held in.
                return Frames.NATIVE_MEDIA_TYPE + "; transfer-syntax=" + frames.transferSyntax();
            }
        }
        List<String> available = nativeFrames
                ? List.of(WadoRetrieve.MULTIPART_RELATED + "; type=\"" + Frames.NATIVE_MEDIA_TYPE
                        + "\"; transfer-syntax=" + frames.transferSyntax())
                : List.of(WadoRetrieve.MULTIPART_RELATED + "; type=\"" + frames.mediaType() + "\"; transfer-syntax="
                        + frames.transferSyntax(), WadoRetrieve.MULTIPART_RELATED + "; type=\""
                        + Frames.NATIVE_MEDIA_TYPE + "\"; transfer-syntax=*");
        throw new NotAcceptableException("the frames of instance " + instance + " are held in transfer syntax "
                + frames.transferSyntax() + " and not transcoded", available);
    }

    private static String parameter(MediaType type, String name, String otherwise) {
        return type.getParameters().getOrDefault(name, otherwise).replace("\"", "");
    }
}
