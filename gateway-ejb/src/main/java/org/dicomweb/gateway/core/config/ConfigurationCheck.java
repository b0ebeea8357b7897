package org.dicomweb.gateway.core.config;

/**
 * A part of the gateway that validates its own keys of a configuration a reload is about to apply (CDI beans of this
 * type are all asked, before anything changes): a {@link ConfigurationException} naming the key refuses the whole
 * reload, and the running configuration stays. A check only reads; it opens nothing.
 */
public interface ConfigurationCheck {

    void check(ConfigSnapshot candidate);
}
