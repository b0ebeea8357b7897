package org.dicomweb.gateway.access.cors;

/** The CORS settings in force; asked per request, so that a configuration reload applies to the next one. */
public interface CorsPolicy {

    CorsSettings current();
}
