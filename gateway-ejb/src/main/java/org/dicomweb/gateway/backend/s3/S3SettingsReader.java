package org.dicomweb.gateway.backend.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;

/** Reads and validates one S3 AE's keys, {@code gateway.aet.<AET>.*} (docs/configuration.md, "AEs served from S3"). */
public final class S3SettingsReader {

    /** S3's bucket naming rules (lower case, digits, dots, dashes; 3-63 characters). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final long MB = 1024L * 1024;

    private final ConfigValues values;

    public S3SettingsReader(ConfigValues values) {
        this.values = values;
    }

    public S3Settings read(String aet) {
        String prefix = "gateway.aet." + aet + ".";
        String why = "AE " + aet + " is served by backend s3";
        URI endpoint = values.optional(prefix + "endpoint").map(v -> endpoint(prefix + "endpoint", v)).orElse(null);
        String bucket = values.required(prefix + "bucket", why);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new ConfigurationException(prefix + "bucket", "is '" + bucket
                    + "', not an S3 bucket name (3-63 lower-case letters, digits, dots and dashes)");
        }
        String keyPrefix = values.string(prefix + "prefix", "");
        while (keyPrefix.startsWith("/")) {
            keyPrefix = keyPrefix.substring(1);
        }
        while (keyPrefix.endsWith("/")) {
            keyPrefix = keyPrefix.substring(0, keyPrefix.length() - 1);
        }
        S3Settings.Credentials credentials = values.choice(prefix + "credentials", S3Settings.Credentials.DEFAULT);
        String accessKeyId = null;
        String secretAccessKey = null;
        if (credentials == S3Settings.Credentials.CONFIG) {
            accessKeyId = values.required(prefix + "access-key-id", prefix + "credentials is config");
            secretAccessKey = values.required(prefix + "secret-access-key", prefix + "credentials is config");
        }
        int maxConcurrent = values.integer(prefix + "max-concurrent-requests", 64, 1, 4096);
        int partSizeMb = values.integer(prefix + "part-size-mb", 16, 5, 5120); // S3: parts of 5 MiB at least
        return new S3Settings(aet, endpoint, values.string(prefix + "region", "us-east-1"), bucket, keyPrefix,
                values.bool(prefix + "path-style", endpoint != null), credentials, accessKeyId, secretAccessKey,
                maxConcurrent, values.integer(prefix + "request-parallelism", Math.min(8, maxConcurrent), 1,
                        maxConcurrent),
                values.integer(prefix + "multipart-threshold-mb", 64, 5, 5120) * MB, partSizeMb * MB,
                values.integer(prefix + "connect-timeout-ms", 5_000, 1, Integer.MAX_VALUE),
                values.integer(prefix + "request-timeout-ms", 30_000, 1, Integer.MAX_VALUE),
                values.choice(prefix + "on-duplicate", S3Settings.OnDuplicate.OVERWRITE));
    }

    /** An absolute http(s) URL without path, query or fragment. */
    private static URI endpoint(String key, String value) {
        try {
            URI url = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                    || url.getHost() == null || !(url.getRawPath() == null || url.getRawPath().isEmpty())
                    || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new ConfigurationException(key, "is '" + value
                        + "', not an http or https URL of an S3 endpoint (scheme, host and port only)");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(key, "is '" + value + "', not a URL: " + e.getReason());
        }
    }
}
