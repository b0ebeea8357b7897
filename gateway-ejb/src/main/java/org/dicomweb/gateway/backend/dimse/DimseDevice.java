package org.dicomweb.gateway.backend.dimse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.dicomweb.gateway.backend.dimse.retrieve.RetrieveContexts;
import org.dicomweb.gateway.backend.dimse.scp.MoveRouter;
import org.dicomweb.gateway.backend.dimse.scp.ScpIngest;
import org.dicomweb.gateway.backend.dimse.scp.StorageScp;
import org.dicomweb.gateway.backend.dimse.store.StoreContexts;
import org.dicomweb.gateway.core.backend.OperationSlots;
import org.dicomweb.gateway.core.changefeed.Arrivals;
import org.dicomweb.gateway.core.concurrent.GatewayExecutor;
import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;
import org.dicomweb.gateway.core.config.GatewayConfiguration;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.core.spool.TempDirectories;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * The gateway's DICOM device: reads and validates the configuration, owns the Storage SCP listener and one
 * association pool per remote AE. Started on deployment (a bad key or a busy port fails the deployment with the
 * reason), stopped on undeployment (port freed, associations released or aborted, association tasks ended).
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

    private DimseSettings settings;
    private Map<String, AssociationPool> pools;
    /** The pools other than the query pool (fuzzy query, C-STORE, C-GET), opened on first use: by AE, then purpose. */
    private final Map<String, Map<String, AssociationPool>> otherPools = new ConcurrentHashMap<>();
    private final Map<String, OperationSlots> storeSlots = new ConcurrentHashMap<>();
    private final MoveRouter router = new MoveRouter();
    private StorageScp scp;
    private final AtomicReference<CallingAetsSnapshot> callingAets = new AtomicReference<>();
    private PoolGauges poolGauges;
    private OperationMeters operationMeters;

    @PostConstruct
    void start() {
        settings = new DimseSettingsReader(configuration.values())
                .read(configuration.settings().aetsServedBy(DimseBackend.NAME));
        Map<String, AssociationPool> byAet = new LinkedHashMap<>();
        settings.remoteAes().forEach((aet, ae) -> byAet.put(aet, new AssociationPool(ae)));
        pools = byAet;
        callingAets(); // a bad gateway.scp.accepted-calling-aets fails the deployment, naming the key
        poolGauges = new PoolGauges(registry, this::poolStates);
        poolGauges.refresh(pools.keySet());
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
                + "; remote AEs: " + String.join(", ", pools.keySet())
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

    /** Where C-STOREs outside any C-MOVE go: a configured AE of any backend, or nowhere (null: refused). */
    private ScpIngest ingest(String aet) {
        if (aet == null) {
            return null;
        }
        if (!configuration.settings().aeBackends().containsKey(aet)) {
            throw new ConfigurationException("gateway.scp.ingest-aet", "names " + aet
                    + ", which is not a configured AE (gateway.aets)");
        }
        return new ScpIngest(aet, arrivals, TempDirectories.of("dicomweb-scp-ingest"));
    }

    @PreDestroy
    void stop() {
        poolGauges.close();
        operationMeters.close();
        scp.close();
        pools.values().forEach(AssociationPool::close);
        otherPools.values().forEach(byPurpose -> byPurpose.values().forEach(AssociationPool::close));
        LOG.info("DICOM Storage SCP " + settings.scp().aet() + " stopped; port " + settings.scp().port() + " freed");
    }

    /**
     * Every 5 s: writes a PACS stopped taking for its DIMSE timeout are cut, long idle associations released, the pool
     * gauges made to follow the configured AEs.
     */
    @Schedule(hour = "*", minute = "*", second = "*/5", persistent = false)
    void watchAssociations() {
        DimseAssociation.abortStalledWrites();
        poolGauges.refresh(pools.keySet());
        pools.values().forEach(AssociationPool::evictIdle);
        otherPools.values().forEach(byPurpose -> byPurpose.values().forEach(AssociationPool::evictIdle));
    }

    public DimseSettings settings() {
        return settings;
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
        return Optional.ofNullable(pools.get(aet));
    }

    /**
     * The pool of query associations to an AE that also propose fuzzy semantic matching: a PACS that accepts it
     * applies it to every C-FIND on the association (PS3.4 C.5.1.1.1), so only searches that ask for it use these.
     */
    public AssociationPool fuzzyQueryPool(String aet) {
        RemoteAe ae = settings.remoteAe(aet).orElseThrow();
        return otherPool(aet, "fuzzy query", () -> new AssociationPool(ae,
                remote -> DimseAssociation.open(remote, PresentationContexts.queryRetrieve(true))));
    }

    /**
     * The pool of C-STORE associations to an AE (the common storage SOP classes, uncompressed): at most
     * max-concurrent-stores, whatever the number of STOW requests.
     */
    public AssociationPool storePool(String aet) {
        RemoteAe ae = settings.remoteAe(aet).orElseThrow();
        return otherPool(aet, "store", () -> new AssociationPool(ae, ae.maxConcurrentStores(),
                remote -> DimseAssociation.open(remote, StoreContexts.pooled())));
    }

    /**
     * The bound on C-STOREs to an AE (max-concurrent-stores), over the pooled store associations and the associations
     * of their own that compressed instances and other SOP classes are sent on alike.
     */
    public OperationSlots storeSlots(String aet) {
        RemoteAe ae = settings.remoteAe(aet).orElseThrow();
        return storeSlots.computeIfAbsent(aet, key -> new OperationSlots(aet, "C-STOREs",
                ae.maxConcurrentStores(), ae.poolWaitTimeoutMs(), PeerTimeoutException::new));
    }

    /** The pool of C-GET associations to an AE that propose these transfer syntaxes for the storage classes. */
    public AssociationPool retrievePool(String aet, List<String> transferSyntaxes) {
        RemoteAe ae = settings.remoteAe(aet).orElseThrow();
        return otherPool(aet, "retrieve " + String.join(",", transferSyntaxes), () -> new AssociationPool(ae,
                remote -> DimseAssociation.open(remote, RetrieveContexts.proposal(transferSyntaxes))));
    }

    private AssociationPool otherPool(String aet, String purpose, Supplier<AssociationPool> opener) {
        return otherPools.computeIfAbsent(aet, key -> new ConcurrentSkipListMap<>())
                .computeIfAbsent(purpose, key -> opener.get());
    }

    /** The state of every pool to an AE: the query pool first, then the others by purpose. */
    public List<PoolState> poolStates(String aet) {
        List<PoolState> states = new ArrayList<>();
        pool(aet).ifPresent(query -> states.add(query.stats().as("query")));
        otherPools.getOrDefault(aet, Map.of()).forEach((purpose, pool) -> states.add(pool.stats().as(purpose)));
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
