package org.dicomweb.gateway.backend.dimse.config;

/**
 * Whether C-FINDs below study level go to a PACS without the unique keys of the levels above (relational queries,
 * PS3.4 C.4.1.2.2). {@code AUTO}: if the PACS accepted them in SOP Class Extended Negotiation; {@code TRUE}: always,
 * for PACS that answer them without saying so; {@code FALSE}: never. Written auto, true, false in configuration.
 */
public enum RelationalQueries {
    AUTO, TRUE, FALSE;

    public boolean used(boolean negotiated) {
        return this == TRUE || (this == AUTO && negotiated);
    }
}
