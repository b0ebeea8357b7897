package org.dicomweb.gateway.backend.dicomweb;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * The two URL spaces of a proxied AE: the upstream's DICOMweb root, and the gateway's base of the AE
 * ({@code .../dicomweb/aets/{aet}}). RetrieveURLs and BulkDataURIs the upstream hands out are rewritten into the
 * gateway's, by their path (so an upstream that names itself by another host name is still recognised); a bulk data
 * path of the gateway is mapped back.
 */
final class UpstreamUrls {

    /** A bulk data URI of one instance: its UIDs and what follows the instance's path (Orthanc: bulk/7fe00010). */
    private static final Pattern INSTANCE_PART = Pattern.compile(
            "/studies/([0-9.]+)/series/([0-9.]+)/instances/([0-9.]+)/(.+)");

    private final String upstreamPath;
    private final String gatewayBase;

    /** {@code gatewayBase}: the gateway's URL of the AE, without a trailing slash. */
    UpstreamUrls(URI upstream, String gatewayBase) {
        this.upstreamPath = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        this.gatewayBase = gatewayBase;
    }

    /** A RetrieveURL of the upstream as the gateway's (the path below its root kept); any other URL unchanged. */
    String retrieveUrl(String value) {
        String below = belowRoot(value);
        return below == null ? value : gatewayBase + below;
    }

    /**
     * A BulkDataURI below an instance of the upstream as the gateway's bulk data resource of that instance, the rest
     * of its path kept as the "tag path" ({@link #bulkDataPath} maps it back); any other URI unchanged.
     */
    String bulkDataUri(String value) {
        String below = belowRoot(value);
        if (below == null) {
            return value;
        }
        Matcher m = INSTANCE_PART.matcher(below);
        if (!m.matches()) {
            return value;
        }
        return gatewayBase + "/studies/" + m.group(1) + "/series/" + m.group(2) + "/instances/" + m.group(3)
                + "/bulkdata/" + m.group(4);
    }

    /** The upstream path (from its root) of the gateway's bulk data resource {@code tagPath} of {@code instance}. */
    static String bulkDataPath(WadoRequest instance, String tagPath) {
        StringBuilder path = new StringBuilder(instancePath(instance));
        for (String segment : tagPath.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidRequestException("bulk data path '" + tagPath + "' has an empty or relative segment");
            }
            path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }

    /** /studies/{study}[/series/{series}[/instances/{instance}]]: the UIDs were checked by the HTTP layer. */
    static String instancePath(WadoRequest request) {
        return "/studies/" + request.studyUid()
                + (request.seriesUid() == null ? "" : "/series/" + request.seriesUid()
                        + (request.instanceUid() == null ? "" : "/instances/" + request.instanceUid()));
    }

    /** The raw path and query of {@code value} below the upstream's root, or null if it is not below it. */
    private String belowRoot(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String path = uri.getRawPath();
        if (path == null || !path.startsWith(upstreamPath + "/")) {
            return null;
        }
        return path.substring(upstreamPath.length()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
