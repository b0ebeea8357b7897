package org.dicomweb.gateway.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.dicomweb.gateway.access.AccessDecision;
import org.dicomweb.gateway.access.AccessDecision.Outcome;
import org.dicomweb.gateway.access.Caller;
import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.access.Service;
import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;

class AccessRulesTest {

    /** Two AEs with role lists, one without; the OIDC keys set. */
    private static Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("gateway.oidc.provider-url", "http://127.0.0.1:18092/gateway");
        c.put("gateway.oidc.client-id", "dicomweb-gateway");
        c.put("gateway.aets", "PACS,ARCHIVE,OPEN");
        c.put("gateway.aet.PACS.roles.read", "pacs-read, radiology");
        c.put("gateway.aet.PACS.roles.store", "pacs-store");
        c.put("gateway.aet.PACS.roles.tasks", "pacs-tasks");
        c.put("gateway.aet.PACS.roles.admin", "pacs-admin");
        c.put("gateway.aet.ARCHIVE.roles.read", "archive-read");
        c.put("gateway.aet.ARCHIVE.roles.tasks", "archive-tasks");
        c.put("gateway.aet.ARCHIVE.roles.destination", "archive-deliver");
        return c;
    }

    private static AccessRules rules(Map<String, String> config) {
        return new AccessRules(new ConfigValues(key -> Optional.ofNullable(config.get(key))));
    }

    private static Caller caller(String... roles) {
        Set<String> held = Set.of(roles);
        return new Caller("alice", held::contains);
    }

    private static RequestTarget on(Service service, String aet) {
        return new RequestTarget(service, aet, null, null, null);
    }

    @Provide
    Arbitrary<RequestTarget> targets() {
        return Arbitraries.of(Service.values()).flatMap(service -> Arbitraries.of("PACS", "ARCHIVE", "OPEN", "NOPE")
                .injectNull(0.3).map(aet -> on(service, aet)));
    }

    @Provide
    Arbitrary<Caller> callers() {
        return Arbitraries.of("pacs-read", "pacs-store", "pacs-tasks", "pacs-admin", "archive-read", "radiology",
                "archive-deliver", "gateway-superuser-not").set().ofMaxSize(4)
                .map(roles -> new Caller("bob", roles::contains));
    }

    @Property
    void modeNoneLetsEveryoneDoEverything(@ForAll("targets") RequestTarget target) {
        Map<String, String> config = config();
        config.put("gateway.auth.mode", "none");
        assertEquals(Outcome.ALLOWED, rules(config).check(Caller.ANONYMOUS, target).outcome());
        assertEquals(Outcome.ALLOWED, rules(config).checkTask(Caller.ANONYMOUS, "PACS", "ARCHIVE").outcome());
    }

    @Property
    void withoutAPrincipalEverythingIsUnauthenticated(@ForAll("targets") RequestTarget target) {
        AccessDecision decision = rules(config()).check(Caller.ANONYMOUS, target);
        assertEquals(Outcome.UNAUTHENTICATED, decision.outcome());
        assertTrue(decision.reason().contains("bearer token"), decision.reason());
    }

    @Property
    void theSuperUserPassesEverywhere(@ForAll("targets") RequestTarget target) {
        assertEquals(Outcome.ALLOWED, rules(config()).check(caller("gateway-superuser"), target).outcome());
        assertEquals(Outcome.ALLOWED, rules(config()).checkTask(caller("gateway-superuser"), "PACS", "ARCHIVE")
                .outcome());
    }

    @Property
    void anAuthenticatedCallerIsNeverUnauthenticated(@ForAll("callers") Caller caller,
            @ForAll("targets") RequestTarget target) {
        AccessDecision decision = rules(config()).check(caller, target);
        assertTrue(decision.outcome() != Outcome.UNAUTHENTICATED);
        // a refusal always says which role would do
        assertTrue(decision.isAllowed() || decision.reason().contains("gateway-superuser"), decision.reason());
    }

    @Test
    void theSuperUserRoleIsConfigurable() {
        Map<String, String> config = config();
        config.put("gateway.auth.super-user-role", "root");
        assertEquals(Outcome.ALLOWED, rules(config).check(caller("root"), on(Service.ADMIN, null)).outcome());
        assertEquals(Outcome.FORBIDDEN,
                rules(config).check(caller("gateway-superuser"), on(Service.ADMIN, null)).outcome());
    }

    @Test
    void anAeWithRolesNeedsOneOfThemPerOperation() {
        AccessRules rules = rules(config());
        assertEquals(Outcome.ALLOWED, rules.check(caller("radiology"), on(Service.QIDO, "PACS")).outcome());
        assertEquals(Outcome.ALLOWED, rules.check(caller("pacs-read"), on(Service.WADO, "PACS")).outcome());
        assertEquals(Outcome.ALLOWED, rules.check(caller("pacs-read"), on(Service.AE_ECHO, "PACS")).outcome());
        assertEquals(Outcome.ALLOWED, rules.check(caller("pacs-store"), on(Service.STOW, "PACS")).outcome());
        assertEquals(Outcome.ALLOWED, rules.check(caller("pacs-admin"), on(Service.REINDEX, "PACS")).outcome());
        AccessDecision storeWithRead = rules.check(caller("pacs-read"), on(Service.STOW, "PACS"));
        assertEquals(Outcome.FORBIDDEN, storeWithRead.outcome());
        assertEquals("storing into AE PACS needs one of the roles pacs-store, gateway-superuser"
                + " (gateway.aet.PACS.roles.store)", storeWithRead.reason());
    }

    @Test
    void aRoleOfAnotherAeDoesNotCount() {
        AccessDecision decision = rules(config()).check(caller("archive-read"), on(Service.QIDO, "PACS"));
        assertEquals(Outcome.FORBIDDEN, decision.outcome());
        assertEquals("reading from AE PACS needs one of the roles pacs-read, radiology, gateway-superuser"
                + " (gateway.aet.PACS.roles.read)", decision.reason());
    }

    @Test
    void anAeWithoutRolesLetsAnyAuthenticatedCallerReadAndStoreButNotAdminister() {
        AccessRules rules = rules(config());
        assertEquals(Outcome.ALLOWED, rules.check(caller(), on(Service.QIDO, "OPEN")).outcome());
        assertEquals(Outcome.ALLOWED, rules.check(caller(), on(Service.STOW, "OPEN")).outcome());
        assertEquals(Outcome.ALLOWED, rules.check(caller(), on(Service.AE_LIST, null)).outcome());
        AccessDecision reindex = rules.check(caller(), on(Service.REINDEX, "OPEN"));
        assertEquals(Outcome.FORBIDDEN, reindex.outcome());
        assertEquals("administering AE OPEN needs one of the roles gateway-superuser (gateway.aet.OPEN.roles.admin)",
                reindex.reason());
    }

    @Test
    void theChangeFeedAndAdminNeedTheSuperUser() {
        AccessRules rules = rules(config());
        AccessDecision feed = rules.check(caller("pacs-admin"), on(Service.CHANGEFEED, null));
        assertEquals(Outcome.FORBIDDEN, feed.outcome());
        assertEquals("the change feed (instances of every AE) needs the role gateway-superuser"
                + " (gateway.auth.super-user-role)", feed.reason());
        assertEquals(Outcome.FORBIDDEN, rules.check(caller("pacs-admin"), on(Service.ADMIN, null)).outcome());
    }

    @Test
    void theTaskPagesNeedTheTasksRoleOfSomeAe() {
        Map<String, String> config = config();
        config.put("gateway.aets", "PACS,ARCHIVE");
        AccessRules rules = rules(config);
        assertEquals(Outcome.ALLOWED, rules.check(caller("archive-tasks"), on(Service.TASKS, null)).outcome());
        assertEquals(Outcome.ALLOWED, rules.check(caller("pacs-tasks"), on(Service.STATUS_PAGE, null)).outcome());
        AccessDecision none = rules.check(caller("pacs-read"), on(Service.TASKS, null));
        assertEquals(Outcome.FORBIDDEN, none.outcome());
        assertEquals("retrieval tasks need the tasks role of at least one AE: one of the roles pacs-tasks,"
                + " archive-tasks, gateway-superuser (gateway.aet.<AET>.roles.tasks)", none.reason());
        // an AE without a tasks list lets any authenticated caller in
        assertEquals(Outcome.ALLOWED, rules(config()).check(caller(), on(Service.TASKS, null)).outcome());
    }

    @Test
    void aTaskNeedsTheSourcesTasksRoleAndTheDestinationsRole() {
        AccessRules rules = rules(config());
        assertEquals(Outcome.ALLOWED, rules.checkTask(caller("pacs-tasks", "archive-deliver"), "PACS", "ARCHIVE")
                .outcome());
        assertEquals(Outcome.ALLOWED, rules.checkTask(caller("pacs-tasks"), "PACS", "OPEN").outcome());
        AccessDecision noSource = rules.checkTask(caller("archive-deliver"), "PACS", "ARCHIVE");
        assertEquals("retrieval tasks from AE PACS needs one of the roles pacs-tasks, gateway-superuser"
                + " (gateway.aet.PACS.roles.tasks)", noSource.reason());
        AccessDecision noDestination = rules.checkTask(caller("pacs-tasks"), "PACS", "ARCHIVE");
        assertEquals(Outcome.FORBIDDEN, noDestination.outcome());
        assertEquals("delivering a retrieval task to AE ARCHIVE needs one of the roles archive-deliver,"
                + " gateway-superuser (gateway.aet.ARCHIVE.roles.destination)", noDestination.reason());
    }

    @Test
    void modeOidcWithoutItsProviderFailsNamingTheKey() {
        Map<String, String> config = config();
        config.remove("gateway.oidc.provider-url");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> rules(config).validate());
        assertEquals("configuration key 'gateway.oidc.provider-url' is missing (gateway.auth.mode is oidc (the"
                + " default); set it to none explicitly to run without authentication)", e.getMessage());
        config.put("gateway.auth.mode", "none");
        assertEquals(AuthMode.NONE, rules(config).validate());
        config.put("gateway.auth.mode", "off");
        assertThrows(ConfigurationException.class, () -> rules(config).validate());
    }
}
