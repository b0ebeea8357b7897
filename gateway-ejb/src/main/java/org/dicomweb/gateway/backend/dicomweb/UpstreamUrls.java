package org.dicomweb.gateway.backend.dicomweb;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dicomweb.gateway.wado.WadoRequest;

/**
 * The two URL spaces of a proxied AE: the upstream's DICOMweb root, and the gateway's base of the AE
 * ({@code .../dicomweb/aets/{aet}}). RetrieveURLs and BulkDataURIs the upstream hands out are rewritten into the
 * gateway's, by their path (so an upstream that names itself by another host name is still recognised).
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
     * A BulkDataURI below an instance of the upstream as the gateway's own bulk data resource of that instance, named
     * by its tag path (as for every backend: {@code .../bulkdata/7FE00010}); any other URI unchanged. The gateway finds
     * the upstream's URI again from the instance's metadata ({@link UpstreamMetadataService#bulkData}).
     */
    String bulkDataUri(String value, String tagPath) {
        String below = belowRoot(value);
        if (below == null) {
            return value;
        }
        Matcher m = INSTANCE_PART.matcher(below);
        if (!m.matches()) {
            return value;
        }
        return gatewayBase + "/studies/" + m.group(1) + "/series/" + m.group(2) + "/instances/" + m.group(3)
                + "/bulkdata/" + tagPath;
    }

    /**
     * The path and query below the upstream's root of one of its URIs ({@code relative} resolved against {@code base},
     * the URL it came in), or null if it lies outside the root.
     */
    String pathBelowRoot(URI base, String uri) {
        try {
            return belowRoot(base.resolve(uri).toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** /studies/{study}[/series/{series}[/instances/{instance}]]: the UIDs were checked by the HTTP layer. */
    static String instancePath(WadoRequest request) {
        return "/studies/" + request.studyUid()
                + (request.seriesUid() == null ? "" : "/series/" + request.seriesUid()
                        + (request.instanceUid() == null ? "" : "/instances/" + request.instanceUid()));
    }

    /**
     * The raw path and query of {@code value} below the upstream's root, or null if it is not below it. Requests go
     * to the configured root only, whatever host the value names.
     */
    private String belowRoot(String value) {
        URI uri;
        try {
            uri = URI.create(value).normalize(); // no way out of the root by ..
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
