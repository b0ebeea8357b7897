package org.dicomweb.gateway.access;

/**
 * Where the web layer hands over what it measured of each HTTP request (docs/metrics.md): the web layer sees the
 * request and its body bytes, the core owns the meters and knows which AEs are configured (only those become labels).
 */
public interface RequestMetrics {

    /**
     * One request answered: what it addressed, the status sent, the time from its arrival to its body's last byte
     * written (or the write's failure), and the body bytes read from and written to the client.
     */
    void answered(RequestTarget target, int status, long nanos, long bytesReceived, long bytesSent);
}
