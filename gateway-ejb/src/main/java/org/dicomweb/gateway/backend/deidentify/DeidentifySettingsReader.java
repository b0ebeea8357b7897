package org.dicomweb.gateway.backend.deidentify;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.dicomweb.gateway.core.config.ConfigSnapshot;
import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;
import org.dicomweb.gateway.core.deid.DeidentificationOptions;

/**
 * Reads and validates the de-identifying AEs' keys of a configuration (docs/configuration.md, "De-identifying AEs"):
 * each AE's source (another AE of gateway.aets, not a de-identifying one, so a chain never loops) and options, and the
 * installation-wide secret, required once such an AE exists.
 */
final class DeidentifySettingsReader {

    static final String SECRET = "gateway.deidentify.secret";
    static final int MIN_SECRET_LENGTH = 32;
    /** gggg,creator,ee: a private group (odd), the private creator as written, the element byte. */
    private static final Pattern SAFE_PRIVATE_TAG = Pattern.compile("[0-9A-Fa-f]{3}[13579BDFbdf],[^,]+,[0-9A-Fa-f]{2}");

    private DeidentifySettingsReader() {
    }

    /** The settings of every AE {@code candidate} has served by this backend, in configuration order. */
    static Map<String, DeidentifySettings> read(ConfigSnapshot candidate) {
        Map<String, String> backends = candidate.settings().aeBackends();
        Map<String, DeidentifySettings> read = new LinkedHashMap<>();
        byte[] secret = null;
        for (String aet : candidate.settings().aetsServedBy(DeidentifyBackend.NAME)) {
            if (secret == null) {
                secret = secret(candidate.values(), aet);
            }
            read.put(aet, read(candidate.values(), aet, backends, secret));
        }
        return read;
    }

    private static byte[] secret(ConfigValues values, String aet) {
        String secret = values.required(SECRET, "AE " + aet + " is served by backend " + DeidentifyBackend.NAME);
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new ConfigurationException(SECRET, "has " + secret.length() + " characters; it needs "
                    + MIN_SECRET_LENGTH + " at least (a random one: openssl rand -base64 48)");
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    private static DeidentifySettings read(ConfigValues values, String aet, Map<String, String> backends,
            byte[] secret) {
        String prefix = "gateway.aet." + aet + ".";
        String source = values.required(prefix + "source", "AE " + aet + " is served by backend "
                + DeidentifyBackend.NAME + " and reads through another AE");
        if (source.equals(aet)) {
            throw new ConfigurationException(prefix + "source", "is " + aet + " itself; name the AE it de-identifies");
        }
        String sourceBackend = backends.get(source);
        if (sourceBackend == null) {
            throw new ConfigurationException(prefix + "source", "is '" + source + "', which is not an AE of gateway.aets "
                    + backends.keySet());
        }
        if (sourceBackend.equals(DeidentifyBackend.NAME)) {
            throw new ConfigurationException(prefix + "source", "is " + source + ", a de-identifying AE itself; name"
                    + " the AE that holds the originals");
        }
        DeidentificationOptions options = new DeidentificationOptions(
                values.bool(prefix + "retain-uids", false),
                values.bool(prefix + "retain-longitudinal-modified-dates", false),
                values.bool(prefix + "retain-patient-characteristics", false),
                values.bool(prefix + "retain-device-identity", false),
                values.bool(prefix + "clean-descriptors", false),
                safePrivateTags(prefix + "safe-private-tags", values.string(prefix + "safe-private-tags", "")),
                values.bool(prefix + "pass-burned-in-annotation", false));
        return new DeidentifySettings(aet, source, options, secret);
    }

    /** A list separated by semicolons (private creators may hold commas' neighbours, never a semicolon here). */
    private static Set<String> safePrivateTags(String key, String value) {
        Set<String> tags = new LinkedHashSet<>();
        for (String tag : value.split(";")) {
            String trimmed = tag.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!SAFE_PRIVATE_TAG.matcher(trimmed).matches()) {
                throw new ConfigurationException(key, "has '" + trimmed + "', not gggg,creator,ee (an odd group in"
                        + " hex, the private creator, the element byte in hex; entries separated by ;)");
            }
            tags.add(trimmed);
        }
        return Set.copyOf(tags);
    }

    /** What {@code /aets} shows: the source and each option, by key name (strings, as AeDescription wants). */
    static Map<String, Object> shown(DeidentifySettings settings) {
        DeidentificationOptions o = settings.options();
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("source", settings.source());
        shown.put("retainUids", String.valueOf(o.retainUids()));
        shown.put("retainLongitudinalModifiedDates", String.valueOf(o.retainLongitudinalModifiedDates()));
        shown.put("retainPatientCharacteristics", String.valueOf(o.retainPatientCharacteristics()));
        shown.put("retainDeviceIdentity", String.valueOf(o.retainDeviceIdentity()));
        shown.put("cleanDescriptors", String.valueOf(o.cleanDescriptors()));
        shown.put("safePrivateTags", String.join(";", o.safePrivateTags().stream().sorted().toList()));
        shown.put("passBurnedInAnnotation", String.valueOf(o.passBurnedInAnnotation()));
        return shown;
    }
}
