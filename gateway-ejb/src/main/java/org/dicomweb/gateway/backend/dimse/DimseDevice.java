package org.dicomweb.gateway.backend.dimse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;

import org.dicomweb.gateway.aets.PoolState;
import org.dicomweb.gateway.backend.dimse.association.AssociationPool;
import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.OperationMeters;
import org.dicomweb.gateway.backend.dimse.association.PresentationContexts;
import org.dicomweb.gateway.backend.dimse.config.CallingAets;
import org.dicomweb.gateway.backend.dimse.config.DimseSettings;
import org.dicomweb.gateway.backend.dimse.config.DimseSettingsReader;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.ScpSettings;
import org.dicomweb.gateway.backend.dimse.retrieve.RetrieveContexts;
import org.dicomweb.gateway.backend.dimse.scp.MoveRouter;
import org.dicomweb.gateway.backend.dimse.scp.ScpIngest;
import org.dicomweb.gateway.backend.dimse.scp.StorageScp;
import org.dicomweb.gateway.backend.dimse.store.StoreContexts;
import org.dicomweb.gateway.core.backend.OperationSlots;
import org.dicomweb.gateway.core.changefeed.Arrivals;
import org.dicomweb.gateway.core.concurrent.GatewayExecutor;
import org.dicomweb.gateway.core.config.ConfigSnapshot;
import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationChanged;
import org.dicomweb.gateway.core.config.ConfigurationException;
import org.dicomweb.gateway.core.config.GatewayConfiguration;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.core.spool.TempDirectories;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * The gateway's DICOM device: reads and validates the configuration, owns the Storage SCP listener and one
 * association pool per remote AE. Started on deployment (a bad key or a busy port fails the deployment with the
 * reason), stopped on undeployment (port freed, associations released or aborted, association tasks ended). A
 * configuration reload replaces the pools of the AEs whose DIMSE settings changed (the old ones are retired: their
 * operations under way end on the associations they have) and keeps the others with their associations; the Storage
 * SCP stays as deployed (its keys need a server reload).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN) // its parts are thread-safe; no container lock on hot paths
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // nothing transactional: no JTA transaction per call
public class DimseDevice {

    private static final Logger LOG = Logger.getLogger(DimseDevice.class.getName());

    /** Sized for blocking association threads (wildfly-config/gateway.cli). */
    @Resource(lookup = GatewayExecutor.JNDI)
    private ManagedExecutorService executor;

    @Inject
    private GatewayConfiguration configuration;

    @Inject
    private Arrivals arrivals;

    @Inject
    private MeterRegistry registry;

    /** The DIMSE settings in force and the query pool of each of their AEs, replaced together by a reload. */
    private record Configured(DimseSettings settings, Map<String, AssociationPool> pools) {
    }

    private volatile Configured configured;
    /**
     * The pools other than the query pool (fuzzy query, C-STORE, C-GET), opened on first use: by the AE's settings
     * (so a pool opened for settings a reload replaced is never handed out again), then purpose.
     */
    private final Map<RemoteAe, Map<String, AssociationPool>> otherPools = new ConcurrentHashMap<>();
    private final Map<RemoteAe, OperationSlots> storeSlots = new ConcurrentHashMap<>();
    /** Pools a reload replaced whose associations are not all back yet (closed at undeployment). */
    private final Set<AssociationPool> retired = ConcurrentHashMap.newKeySet();
    private final MoveRouter router = new MoveRouter();
    private StorageScp scp;
    private final AtomicReference<CallingAetsSnapshot> callingAets = new AtomicReference<>();
    private PoolGauges poolGauges;
    private OperationMeters operationMeters;

    @PostConstruct
    void start() {
        DimseSettings settings = read(configuration.snapshot());
        configured = new Configured(settings, pools(settings, Map.of(), null));
        callingAets(); // a bad gateway.scp.accepted-calling-aets fails the deployment, naming the key
        poolGauges = new PoolGauges(registry, this::poolStates);
        poolGauges.refresh(configured.pools().keySet());
        operationMeters = OperationMeters.install(registry);
        scp = new StorageScp(settings.scp(), executor, router, ingest(settings.scp().ingestAet()), this::callingAets);
        try {
            scp.start();
        } catch (IOException e) {
            throw new IllegalStateException("DICOM Storage SCP cannot listen on " + settings.scp().bindAddress()
                    + ":" + settings.scp().port() + " (gateway.scp.bind-address, gateway.scp.port, gateway.scp.tls-port): "
                    + e.getMessage(), e);
        }
        LOG.info("DICOM Storage SCP " + settings.scp().aet() + " listening on " + settings.scp().bindAddress() + ":"
                + settings.scp().port() + (settings.scp().tlsPort() == 0 ? "" : " and, TLS only, "
                + settings.scp().tlsPort() + " (" + settings.scp().tls().profile() + ")")
                + "; remote AEs: " + String.join(", ", settings.remoteAes().keySet())
                + (settings.scp().ingestAet() == null ? "" : "; C-STOREs outside a C-MOVE are stored into "
                + settings.scp().ingestAet()));
    }

    /**
     * The calling AE titles the Storage SCP accepts, from the configuration as it is now (read again only when the
     * configuration is another one, e.g. after a reload).
     */
    private CallingAets callingAets() {
        ConfigValues values = configuration.values();
        CallingAetsSnapshot known = callingAets.get();
        if (known != null && known.values() == values) {
            return known.callingAets();
        }
        CallingAets read = CallingAets.read(values, configuration.settings().aetsServedBy(DimseBackend.NAME));
        callingAets.set(new CallingAetsSnapshot(values, read));
        return read;
    }

    private record CallingAetsSnapshot(ConfigValues values, CallingAets callingAets) {
    }

    /**
     * The DIMSE settings of a configuration, validated (a {@link ConfigurationException} names the bad key): at
     * deployment, and for a reload before anything changes (the Storage SCP's accepted calling AEs too, which it reads
     * from the configuration in force). Static, so that a bad key reaches the caller as it is (an EJB business method
     * would wrap it in an EJBException).
     */
    static DimseSettings read(ConfigSnapshot snapshot) {
        List<String> aets = snapshot.settings().aetsServedBy(DimseBackend.NAME);
        DimseSettings read = new DimseSettingsReader(snapshot.values()).read(aets);
        CallingAets.read(snapshot.values(), aets);
        String ingestAet = read.scp().ingestAet();
        if (ingestAet != null && !snapshot.settings().aeBackends().containsKey(ingestAet)) {
            throw new ConfigurationException("gateway.scp.ingest-aet", "names " + ingestAet
                    + ", which is not a configured AE (gateway.aets)");
        }
        return read;
    }

    /** The query pool of each AE of {@code settings}: kept from {@code previous} where the AE's settings are equal. */
    private static Map<String, AssociationPool> pools(DimseSettings settings, Map<String, AssociationPool> previous,
            DimseSettings previousSettings) {
        Map<String, AssociationPool> byAet = new LinkedHashMap<>();
        settings.remoteAes().forEach((aet, ae) -> {
            AssociationPool old = previous.get(aet);
            boolean same = old != null && previousSettings.remoteAe(aet).orElseThrow().equals(ae);
            byAet.put(aet, same ? old : new AssociationPool(ae));
        });
        return Collections.unmodifiableMap(byAet);
    }

    /** Where C-STOREs outside any C-MOVE go: a configured AE of any backend (checked by {@link #read}), or nowhere. */
    private ScpIngest ingest(String aet) {
        return aet == null ? null : new ScpIngest(aet, arrivals, TempDirectories.of("dicomweb-scp-ingest"));
    }

    /**
     * After a configuration reload: the AEs' new settings in force, the pools of AEs whose DIMSE settings changed or
     * that are gone retired, the others kept with their associations.
     */
    public void reconfigure(@Observes ConfigurationChanged change) {
        DimseSettings settings = read(change.current());
        Configured previous = configured;
        Configured next = new Configured(settings, pools(settings, previous.pools(), previous.settings()));
        configured = next;
        previous.pools().forEach((aet, pool) -> {
            if (next.pools().get(aet) != pool) {
                retire(pool);
            }
        });
        retireOtherPools(settings);
        LOG.info("DICOM AEs now " + String.join(", ", settings.remoteAes().keySet()) + "; new pools for "
                + next.pools().entrySet().stream().filter(e -> previous.pools().get(e.getKey()) != e.getValue())
                        .map(Map.Entry::getKey).toList());
    }

    /** The fuzzy query, store and retrieve pools (and store slots) of AE settings no longer in force. */
    private void retireOtherPools(DimseSettings settings) {
        Collection<RemoteAe> current = settings.remoteAes().values();
        otherPools.entrySet().removeIf(entry -> {
            if (current.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().values().forEach(this::retire);
            return true;
        });
        storeSlots.keySet().retainAll(current);
    }

    private void retire(AssociationPool pool) {
        pool.retire();
        retired.add(pool);
    }

    @PreDestroy
    void stop() {
        poolGauges.close();
        operationMeters.close();
        scp.close();
        configured.pools().values().forEach(AssociationPool::close);
        otherPools.values().forEach(byPurpose -> byPurpose.values().forEach(AssociationPool::close));
        retired.forEach(AssociationPool::close);
        ScpSettings scpSettings = configured.settings().scp();
        LOG.info("DICOM Storage SCP " + scpSettings.aet() + " stopped; port " + scpSettings.port() + " freed");
    }

    /**
     * Every 5 s: writes a PACS stopped taking for its DIMSE timeout are cut, long idle associations released, retired
     * pools whose associations all came back forgotten; a pool opened by a request that began before a reload, for
     * settings the reload replaced, retired; and the pool gauges made to follow the configured AEs.
     */
    @Schedule(hour = "*", minute = "*", second = "*/5", persistent = false)
    void watchAssociations() {
        DimseAssociation.abortStalledWrites();
        Configured now = configured;
        poolGauges.refresh(now.pools().keySet());
        now.pools().values().forEach(AssociationPool::evictIdle);
        otherPools.values().forEach(byPurpose -> byPurpose.values().forEach(AssociationPool::evictIdle));
        retireOtherPools(now.settings());
        retired.removeIf(AssociationPool::isDrained);
    }

    /** The DIMSE settings in force. */
    public DimseSettings settings() {
        return configured.settings();
    }

    /** The backend-neutral limits (QIDO results, STOW spooling, bulk data threshold, stalled clients). */
    public GatewaySettings gateway() {
        return configuration.settings();
    }

    /**
     * How long a writer may take nothing from its PACS-fed stream before its client counts as stalled: the
     * configured stall timeout, plus the AE's DIMSE timeout, the longest the writer may rightly wait for the PACS's
     * next PDU (a slow PACS is not a stalled client).
     */
    public long stallTimeoutMs(RemoteAe ae) {
        return (long) configuration.settings().stalledClientTimeoutMs() + ae.dimseTimeoutMs();
    }

    public Optional<AssociationPool> pool(String aet) {
        return Optional.ofNullable(configured.pools().get(aet));
    }

    /**
     * The pool of query associations to an AE that also propose fuzzy semantic matching: a PACS that accepts it
     * applies it to every C-FIND on the association (PS3.4 C.5.1.1.1), so only searches that ask for it use these.
     */
    public AssociationPool fuzzyQueryPool(String aet) {
        RemoteAe ae = settings().remoteAe(aet).orElseThrow();
        return otherPool(ae, "fuzzy query", () -> new AssociationPool(ae,
                remote -> DimseAssociation.open(remote, PresentationContexts.queryRetrieve(true))));
    }

    /**
     * The pool of C-STORE associations to an AE (the common storage SOP classes, uncompressed): at most
     * max-concurrent-stores, whatever the number of STOW requests.
     */
    public AssociationPool storePool(String aet) {
        RemoteAe ae = settings().remoteAe(aet).orElseThrow();
        return otherPool(ae, "store", () -> new AssociationPool(ae, ae.maxConcurrentStores(),
                remote -> DimseAssociation.open(remote, StoreContexts.pooled())));
    }

    /**
     * The bound on C-STOREs to an AE (max-concurrent-stores), over the pooled store associations and the associations
     * of their own that compressed instances and other SOP classes are sent on alike.
     */
    public OperationSlots storeSlots(String aet) {
        RemoteAe ae = settings().remoteAe(aet).orElseThrow();
        return storeSlots.computeIfAbsent(ae, key -> new OperationSlots(aet, "C-STOREs",
                ae.maxConcurrentStores(), ae.poolWaitTimeoutMs(), PeerTimeoutException::new));
    }

    /** The pool of C-GET associations to an AE that propose these transfer syntaxes for the storage classes. */
    public AssociationPool retrievePool(String aet, List<String> transferSyntaxes) {
        RemoteAe ae = settings().remoteAe(aet).orElseThrow();
        return otherPool(ae, "retrieve " + String.join(",", transferSyntaxes), () -> new AssociationPool(ae,
                remote -> DimseAssociation.open(remote, RetrieveContexts.proposal(transferSyntaxes))));
    }

    private AssociationPool otherPool(RemoteAe ae, String purpose, Supplier<AssociationPool> opener) {
        return otherPools.computeIfAbsent(ae, key -> new ConcurrentSkipListMap<>())
                .computeIfAbsent(purpose, key -> opener.get());
    }

    /** The state of every pool to an AE: the query pool first, then the others by purpose. */
    public List<PoolState> poolStates(String aet) {
        List<PoolState> states = new ArrayList<>();
        pool(aet).ifPresent(query -> states.add(query.stats().as("query")));
        settings().remoteAe(aet).ifPresent(ae -> otherPools.getOrDefault(ae, Map.of())
                .forEach((purpose, pool) -> states.add(pool.stats().as(purpose))));
        return states;
    }

    public MoveRouter moveRouter() {
        return router;
    }

    public boolean isScpListening() {
        return scp.isListening();
    }

    public ManagedExecutorService executor() {
        return executor;
    }
}
