package org.dicomweb.gateway.core.access;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.dicomweb.gateway.access.AccessDecision;
import org.dicomweb.gateway.access.Caller;
import org.dicomweb.gateway.access.Operation;
import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.core.config.ConfigValues;

/**
 * The access rules of docs/security.md over one configuration: each AE lists the roles it accepts per operation
 * ({@code gateway.aet.<AET>.roles.read|store|tasks|admin}; an unset or empty list lets any authenticated caller read,
 * store and ask tasks, while administration then needs the super-user role), task destinations are limited by
 * {@code roles.destination}, the super-user role passes everywhere, and what spans all AEs (the change feed,
 * {@code /admin}) needs the super-user role. Public for {@link #validate}, which a re-read of the configuration
 * (live-config) runs too before it takes a new one.
 */
public final class AccessRules {

    static final String MODE = "gateway.auth.mode";
    static final String SUPER_USER_ROLE = "gateway.auth.super-user-role";
    static final String DEFAULT_SUPER_USER_ROLE = "gateway-superuser";
    static final String PROVIDER_URL = "gateway.oidc.provider-url";
    static final String CLIENT_ID = "gateway.oidc.client-id";
    static final String AETS = "gateway.aets";
    static final String NO_TOKEN = "a valid bearer token is needed (Authorization: Bearer <access token>)";

    private final ConfigValues values;

    public AccessRules(ConfigValues values) {
        this.values = values;
    }

    AuthMode mode() {
        return values.choice(MODE, AuthMode.OIDC);
    }

    String superUserRole() {
        return values.string(SUPER_USER_ROLE, DEFAULT_SUPER_USER_ROLE);
    }

    /**
     * Checks the mode's keys, as at deployment: mode {@code oidc} needs the provider that WildFly's secure-deployment
     * takes from the same keys, so that a gateway nobody configured for authentication fails instead of running
     * half-secured. Returns the mode.
     */
    public AuthMode validate() {
        AuthMode mode = mode();
        if (mode == AuthMode.OIDC) {
            String why = MODE + " is oidc (the default); set it to none explicitly to run without authentication";
            values.required(PROVIDER_URL, why);
            values.required(CLIENT_ID, why);
        }
        return mode;
    }

    AccessDecision check(Caller caller, RequestTarget target) {
        AccessDecision gate = gate(caller);
        if (gate != null) {
            return gate;
        }
        return switch (target.service()) {
            case CHANGEFEED -> superUserOnly("the change feed (instances of every AE)");
            case ADMIN -> superUserOnly("the gateway's administration (/admin)");
            case TASKS, STATUS_PAGE -> tasksOnAnyAe(caller);
            default -> target.aet() == null ? AccessDecision.allowed()
                    : onAe(caller, target.aet(), target.service().operation());
        };
    }

    AccessDecision checkTask(Caller caller, String sourceAet, String destinationAet) {
        AccessDecision gate = gate(caller);
        if (gate != null) {
            return gate;
        }
        AccessDecision source = onAe(caller, sourceAet, Operation.TASKS);
        if (!source.isAllowed()) {
            return source;
        }
        return byRoles(caller, destinationAet, "destination", true, "delivering a retrieval task to");
    }

    /** Mode none, no caller, the super-user: decided before any AE's roles are looked at (null: not decided). */
    private AccessDecision gate(Caller caller) {
        if (mode() == AuthMode.NONE) {
            return AccessDecision.allowed();
        }
        if (!caller.authenticated()) {
            return AccessDecision.unauthenticated(NO_TOKEN);
        }
        return caller.hasRole(superUserRole()) ? AccessDecision.allowed() : null;
    }

    private AccessDecision onAe(Caller caller, String aet, Operation operation) {
        return switch (operation) {
            case READ -> byRoles(caller, aet, "read", true, "reading from");
            case STORE -> byRoles(caller, aet, "store", true, "storing into");
            case TASKS -> byRoles(caller, aet, "tasks", true, "retrieval tasks from");
            case ADMIN -> byRoles(caller, aet, "admin", false, "administering");
        };
    }

    private AccessDecision byRoles(Caller caller, String aet, String kind, boolean openWhenUnset, String doing) {
        List<String> accepted = roles(aet, kind);
        if ((accepted.isEmpty() && openWhenUnset) || accepted.stream().anyMatch(caller::hasRole)) {
            return AccessDecision.allowed();
        }
        return AccessDecision.forbidden(doing + " AE " + aet + " needs one of the roles " + withSuperUser(accepted)
                + " (gateway.aet." + aet + ".roles." + kind + ")");
    }

    private AccessDecision superUserOnly(String what) {
        return AccessDecision.forbidden(what + " needs the role " + superUserRole() + " (" + SUPER_USER_ROLE + ")");
    }

    /** The task list, a task, its cancel and the status page: for whoever may ask tasks of at least one AE. */
    private AccessDecision tasksOnAnyAe(Caller caller) {
        Set<String> accepted = new LinkedHashSet<>();
        for (String aet : list(values.string(AETS, ""))) {
            List<String> roles = roles(aet, "tasks");
            if (roles.isEmpty() || roles.stream().anyMatch(caller::hasRole)) {
                return AccessDecision.allowed();
            }
            accepted.addAll(roles);
        }
        return AccessDecision.forbidden("retrieval tasks need the tasks role of at least one AE: one of the roles "
                + withSuperUser(new ArrayList<>(accepted)) + " (gateway.aet.<AET>.roles.tasks)");
    }

    private List<String> roles(String aet, String kind) {
        return list(values.string("gateway.aet." + aet + ".roles." + kind, ""));
    }

    private String withSuperUser(List<String> roles) {
        List<String> passing = new ArrayList<>(roles);
        passing.add(superUserRole());
        return String.join(", ", passing);
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
