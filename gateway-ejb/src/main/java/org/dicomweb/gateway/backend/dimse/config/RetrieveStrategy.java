package org.dicomweb.gateway.backend.dimse.config;

/** How instances are fetched from a PACS: C-GET, C-MOVE to the gateway's Storage SCP, or C-GET falling back to C-MOVE. */
public enum RetrieveStrategy { GET, MOVE, AUTO }
