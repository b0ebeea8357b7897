package org.dicomweb.gateway.core.config;

/** A missing or invalid configuration key; the message names the key, so a failed deployment says what to fix. */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String key, String problem) {
        super("configuration key '" + key + "' " + problem);
    }
}
