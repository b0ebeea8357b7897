package org.dicomweb.gateway.backend.dicomweb;

import java.net.URI;
import java.net.URISyntaxException;

import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;

/** Reads and validates one DICOMweb upstream's keys, {@code gateway.aet.<AET>.*} (docs/configuration.md). */
public final class UpstreamSettingsReader {

    private final ConfigValues values;

    public UpstreamSettingsReader(ConfigValues values) {
        this.values = values;
    }

    public UpstreamSettings read(String aet) {
        String prefix = "gateway.aet." + aet + ".";
        URI url = url(prefix + "url", values.required(prefix + "url", "AE " + aet + " is served by backend dicomweb"));
        UpstreamSettings.Auth auth = values.choice(prefix + "auth", UpstreamSettings.Auth.NONE);
        String username = null;
        String password = null;
        String token = null;
        switch (auth) {
            case BASIC -> {
                username = values.required(prefix + "username", prefix + "auth is basic");
                if (username.contains(":")) {
                    throw new ConfigurationException(prefix + "username", "contains ':', which basic auth cannot carry");
                }
                password = values.required(prefix + "password", prefix + "auth is basic");
            }
            case BEARER -> token = values.required(prefix + "token", prefix + "auth is bearer");
            case NONE -> { }
        }
        return new UpstreamSettings(aet, url, auth, username, password, token,
                values.integer(prefix + "connect-timeout-ms", 5_000, 1, Integer.MAX_VALUE),
                values.integer(prefix + "read-timeout-ms", 30_000, 1, Integer.MAX_VALUE),
                values.integer(prefix + "max-concurrent-requests", 16, 1, 1024));
    }

    /** An absolute http(s) URL without query or fragment; a trailing slash is dropped. */
    private static URI url(String key, String value) {
        try {
            URI url = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                    || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new ConfigurationException(key, "is '" + value
                        + "', not an http or https URL of a DICOMweb root (without query or fragment)");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(key, "is '" + value + "', not a URL: " + e.getReason());
        }
    }
}
