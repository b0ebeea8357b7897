package org.dicomweb.gateway.error;

import java.util.List;

/**
 * The resource exists, but not in any media type the client accepts (PS3.18 §8.7): the message names the media types
 * it is available in, so the client can ask again.
 */
public class NotAcceptableException extends GatewayException {

    public NotAcceptableException(String reason, List<String> available) {
        super(reason + "; available as " + String.join(", ", available), null);
    }
}
