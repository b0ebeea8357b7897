package org.dicomweb.gateway.web.observe;

/**
 * A consumer of what {@link ObservingFilter} measured of each request (the audit trail, the metrics): a CDI bean,
 * called once per request after its end, on whichever thread ended it. It must not block.
 */
public interface RequestObserver {

    void ended(ObservedRequest request);
}
