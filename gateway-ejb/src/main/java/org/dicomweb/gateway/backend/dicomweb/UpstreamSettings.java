package org.dicomweb.gateway.backend.dicomweb;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * One AE served by an upstream DICOMweb server ({@code gateway.aet.<AET>.backend=dicomweb}), validated: its DICOMweb
 * root (no trailing slash), how the gateway authenticates to it, and the bounds on every wait and on the requests in
 * flight. {@link #toString} leaves the credentials out.
 */
public record UpstreamSettings(String aet, URI url, Auth auth, String username, String password, String token,
        int connectTimeoutMs, int readTimeoutMs, int maxConcurrentRequests) {

    public enum Auth { NONE, BASIC, BEARER }

    /** The value of the Authorization header, if the AE has credentials. */
    public Optional<String> authorization() {
        return switch (auth) {
            case NONE -> Optional.empty();
            case BASIC -> Optional.of("Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
            case BEARER -> Optional.of("Bearer " + token);
        };
    }

    /** The DICOMweb root as text, without a trailing slash. */
    public String root() {
        return url.toString();
    }

    @Override
    public String toString() {
        return "UpstreamSettings[" + aet + " " + url + " auth=" + auth.name().toLowerCase() + "]";
    }
}
