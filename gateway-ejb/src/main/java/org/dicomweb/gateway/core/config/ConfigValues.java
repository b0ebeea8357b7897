package org.dicomweb.gateway.core.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed, validated reads of configuration keys over a plain key lookup, so that MicroProfile Config in WildFly and a
 * map in unit tests go through the same checks; every failure names the key and the bad value. Shared by the core's
 * and every backend's settings readers.
 */
public final class ConfigValues {

    /** DICOM AE titles: 1-16 characters of the default repertoire, no backslash, not all spaces (PS3.5 §6.2). */
    private static final Pattern AE_TITLE = Pattern.compile("[\\x20-\\x5B\\x5D-\\x7E]{1,16}");

    private final Function<String, Optional<String>> lookup;

    public ConfigValues(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** The trimmed value, empty if the key is absent or blank. */
    public Optional<String> optional(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    /** A key without a default: {@code why} says why it is needed (e.g. "AE X is listed in gateway.aets"). */
    public String required(String key, String why) {
        return optional(key).orElseThrow(() -> new ConfigurationException(key, "is missing (" + why + ")"));
    }

    public static boolean isAeTitle(String value) {
        return AE_TITLE.matcher(value).matches() && !value.isBlank();
    }

    public String aeTitle(String key, String defaultValue) {
        String value = string(key, defaultValue);
        if (!isAeTitle(value)) {
            throw new ConfigurationException(key, "is '" + value + "', which is not a DICOM AE title (1-16 characters, no backslash)");
        }
        return value;
    }

    /** An enum value, written in lower case with dashes in configuration (e.g. instance-uids). */
    public <E extends Enum<E>> E choice(String key, E defaultValue) {
        String value = string(key, spelling(defaultValue));
        for (E constant : defaultValue.getDeclaringClass().getEnumConstants()) {
            if (spelling(constant).equals(value)) {
                return constant;
            }
        }
        throw new ConfigurationException(key, "is '" + value + "', not one of "
                + Arrays.stream(defaultValue.getDeclaringClass().getEnumConstants()).map(ConfigValues::spelling).toList());
    }

    private static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase().replace('_', '-');
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = string(key, Boolean.toString(defaultValue));
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigurationException(key, "is '" + value + "', not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** A whole number in {@code min..max}; a null default makes the key required. */
    public int integer(String key, Integer defaultValue, int min, int max) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            if (defaultValue == null) {
                throw new ConfigurationException(key, "is missing");
            }
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new ConfigurationException(key, "is " + value + ", outside " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key, "is '" + raw.get() + "', not a whole number");
        }
    }
}
