package org.dicomweb.gateway.web.access;

import java.util.Arrays;
import java.util.List;

import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.access.Service;

/**
 * Parses what a request addresses from its method and its path below the application root (as JAX-RS gives it,
 * percent-decoded, e.g. {@code aets/ORTHANC/studies/1.2.3/series}), following the resources' paths. A path no
 * resource serves is {@link Service#UNKNOWN}; the UIDs are taken as they stand (RequestValidation checks them later).
 */
public final class RequestTargets {

    private RequestTargets() {
    }

    public static RequestTarget parse(String method, String path) {
        List<String> s = Arrays.stream(path.split("/")).filter(part -> !part.isEmpty()).toList();
        if (s.isEmpty()) {
            return RequestTarget.of(Service.UNKNOWN);
        }
        return switch (s.get(0)) {
            case "aets" -> aets(method, s);
            case "tasks", "inference" -> RequestTarget.of(Service.TASKS);
            case "status" -> RequestTarget.of(Service.STATUS_PAGE);
            case "changefeed" -> RequestTarget.of(Service.CHANGEFEED);
            case "admin" -> RequestTarget.of(Service.ADMIN);
            default -> RequestTarget.of(Service.UNKNOWN);
        };
    }

    /** {@code aets[/{aet}[/reindex | /studies... | /series | /instances]]}. */
    private static RequestTarget aets(String method, List<String> s) {
        if (s.size() == 1) {
            return RequestTarget.of(Service.AE_LIST);
        }
        String aet = s.get(1);
        if (s.size() == 2) {
            return new RequestTarget(Service.AE_ECHO, aet, null, null, null);
        }
        return switch (s.get(2)) {
            case "reindex" -> new RequestTarget(Service.REINDEX, aet, null, null, null);
            case "series", "instances" -> new RequestTarget(s.size() == 3 ? Service.QIDO : Service.UNKNOWN, aet,
                    null, null, null);
            case "studies" -> studies(method, aet, s.subList(3, s.size()));
            default -> new RequestTarget(Service.UNKNOWN, aet, null, null, null);
        };
    }

    /** Below {@code aets/{aet}/studies}: {@code [{study}[/series[/{series}[/instances[/{instance}...]]]]]}. */
    private static RequestTarget studies(String method, String aet, List<String> s) {
        boolean post = "POST".equalsIgnoreCase(method);
        if (s.isEmpty()) {
            return new RequestTarget(post ? Service.STOW : Service.QIDO, aet, null, null, null);
        }
        String study = s.get(0);
        if (s.size() == 1) {
            return new RequestTarget(post ? Service.STOW : Service.WADO, aet, study, null, null);
        }
        if (!"series".equals(s.get(1))) {
            // {study}/instances is a search; {study}/metadata, /rendered, /thumbnail are retrievals
            return new RequestTarget(s.size() == 2 && "instances".equals(s.get(1)) ? Service.QIDO : Service.WADO,
                    aet, study, null, null);
        }
        if (s.size() == 2) {
            return new RequestTarget(Service.QIDO, aet, study, null, null);
        }
        String series = s.get(2);
        if (s.size() == 3 || !"instances".equals(s.get(3))) {
            return new RequestTarget(Service.WADO, aet, study, series, null);
        }
        if (s.size() == 4) {
            return new RequestTarget(Service.QIDO, aet, study, series, null);
        }
        return new RequestTarget(Service.WADO, aet, study, series, s.get(4));
    }
}
