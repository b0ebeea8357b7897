package org.dicomweb.gateway.web.studies;

import java.util.ArrayList;
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
 * against the encoding the frames are held in and those the core converts them to, one part per frame in the order
 * asked.
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

    private static Response respond(Frames held, ResponseBodies bodies, List<MediaType> acceptable,
            String instance) {
        Choice choice;
        try {
            choice = choose(held, acceptable, instance);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
        Frames frames = choice.frames();
        String boundary = MultipartRelated.newBoundary();
        String partType = choice.partType();
        String type = partType.substring(0, partType.indexOf(';'));
        return Response.ok(bodies.body(out -> frames.writeTo(new MultipartRelated(out, boundary), partType),
                        frames::close))
                .header(HttpHeaders.CONTENT_TYPE, WadoRetrieve.MULTIPART_RELATED + "; type=\"" + type
                        + "\"; boundary=" + boundary)
                .build();
    }

    /** The frames to write, as held or converted by the core, and their parts' content type. */
    private record Choice(Frames frames, String partType) {
        static Choice of(Frames frames, String mediaType, String transferSyntax) {
            return new Choice(frames, mediaType + "; transfer-syntax=" + transferSyntax);
        }
    }

    /**
     * The first acceptable type (PS3.18 §8.7.3.5) the frames can be written as: {@code multipart/related} with
     * {@code type} (by default application/octet-stream) and {@code transfer-syntax} ({@code *}: as held; by
     * default Explicit VR Little Endian for octet streams, for a bitstream type the held one if it is of that type,
     * else the first the core converts to), or any type (as held). What the frames are not held in, the core may
     * convert them to ({@link Frames#transcodable}); anything else is 406 naming what they can be sent as.
     */
    private static Choice choose(Frames frames, List<MediaType> acceptable, String instance) {
        List<Frames.Encoding> conversions = frames.transcodable();
        for (MediaType type : acceptable) {
            if (type.isWildcardType()) {
                return Choice.of(frames, frames.mediaType(), frames.transferSyntax());
            }
            if (!type.isCompatible(MULTIPART)) {
                continue;
            }
            String part = parameter(type, "type", Frames.NATIVE_MEDIA_TYPE);
            String syntax = parameter(type, "transfer-syntax", defaultSyntax(frames, conversions, part));
            if (part.equals(frames.mediaType()) && (syntax.equals(ANY) || syntax.equals(frames.transferSyntax()))) {
                return Choice.of(frames, frames.mediaType(), frames.transferSyntax());
            }
            if (part.equals(Frames.NATIVE_MEDIA_TYPE) && syntax.equals(ANY)) {
                // Octet streams in whatever transfer syntax the frames are held in.
                return Choice.of(frames, Frames.NATIVE_MEDIA_TYPE, frames.transferSyntax());
            }
            Frames.Encoding asked = new Frames.Encoding(part, syntax);
            if (conversions.contains(asked)) {
                return Choice.of(frames.transcodedTo(asked), part, syntax);
            }
        }
        List<String> available = new ArrayList<>();
        available.add(partTypeOf(frames.mediaType(), frames.transferSyntax()));
        if (!frames.mediaType().equals(Frames.NATIVE_MEDIA_TYPE)) {
            available.add(partTypeOf(Frames.NATIVE_MEDIA_TYPE, ANY));
        }
        conversions.forEach(c -> available.add(partTypeOf(c.mediaType(), c.transferSyntax())));
        throw new NotAcceptableException("the frames of instance " + instance + " are held in transfer syntax "
                + frames.transferSyntax() + (conversions.isEmpty() ? " and cannot be converted"
                : " and can be converted to " + conversions.stream().map(Frames.Encoding::transferSyntax).toList()),
                available);
    }

    private static String defaultSyntax(Frames frames, List<Frames.Encoding> conversions, String part) {
        if (part.equals(Frames.NATIVE_MEDIA_TYPE)) {
            return WadoRequest.DEFAULT_TRANSFER_SYNTAX;
        }
        if (part.equals(frames.mediaType())) {
            return frames.transferSyntax();
        }
        return conversions.stream().filter(c -> c.mediaType().equals(part)).map(Frames.Encoding::transferSyntax)
                .findFirst().orElse(WadoRequest.DEFAULT_TRANSFER_SYNTAX);
    }

    private static String partTypeOf(String mediaType, String transferSyntax) {
        return WadoRetrieve.MULTIPART_RELATED + "; type=\"" + mediaType + "\"; transfer-syntax=" + transferSyntax;
    }

    private static String parameter(MediaType type, String name, String otherwise) {
        return type.getParameters().getOrDefault(name, otherwise).replace("\"", "");
    }
}
