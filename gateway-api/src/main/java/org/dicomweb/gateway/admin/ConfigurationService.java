package org.dicomweb.gateway.admin;

/**
 * Applies the gateway's configuration as it stands now without a restart ({@code POST /admin/configuration/reload}):
 * the whole new configuration is read and validated first; only if all of it is valid does it replace the running one.
 */
public interface ConfigurationService {

    /**
     * Reads, validates and applies the configuration; what it changed. An invalid configuration is refused with
     * {@link org.dicomweb.gateway.error.InvalidConfigurationException} (naming the key) and the running one stays.
     */
    ConfigurationReload reload();
}
