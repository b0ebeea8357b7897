package org.dicomweb.gateway.core.config;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import org.dicomweb.gateway.error.InvalidConfigurationException;

/**
 * The properties of WildFly's config source {@code dicomweb-gateway} as its management model holds them now, read in
 * the server's own JVM through the platform MBean server: WildFly exposes its resolved management model as MBeans
 * ({@code <expose-resolved-model/>} of the jmx subsystem, on in standalone-full), so this sees a {@code map-put} at
 * once, while the deployment's MicroProfile Config keeps its deployment-time values until a server reload (the
 * attribute is restart-all-services: a write only marks the server reload-required). The values come as written:
 * an expression (${...}) in one is expanded by the Config that reads them ({@link ConfigurationReloader}).
 */
final class LiveConfigSource {

    /** The config source's name in the management model, as gateway.cli creates it. */
    static final String NAME = "dicomweb-gateway";
    static final String MBEAN = "jboss.as:subsystem=microprofile-config-smallrye,config-source=" + NAME;
    /** What a deployment's Config calls it: WildFly makes it a SmallRye PropertiesConfigSource of that name. */
    private static final String SOURCE_NAME = "PropertiesConfigSource[source=" + NAME + "]";
    /** gateway.cli's ordinal, if the model has none. */
    private static final int DEFAULT_ORDINAL = 300;

    /** The config source's properties and ordinal now. */
    record Model(int ordinal, Map<String, String> properties) {
    }

    private LiveConfigSource() {
    }

    /** Whether a ConfigSource of the deployment's Config (by its name) is this config source. */
    static boolean isIt(String sourceName) {
        return SOURCE_NAME.equals(sourceName) || NAME.equals(sourceName);
    }

    static Model read() {
        try {
            ObjectName name = new ObjectName(MBEAN);
            Object properties = ManagementFactory.getPlatformMBeanServer().getAttribute(name, "properties");
            Object ordinal = ManagementFactory.getPlatformMBeanServer().getAttribute(name, "ordinal");
            Map<String, String> read = new TreeMap<>();
            if (properties instanceof TabularData table) {
                for (Object row : table.values()) {
                    CompositeData entry = (CompositeData) row;
                    read.put((String) entry.get("key"), (String) entry.get("value"));
                }
            }
            return new Model(ordinal instanceof Integer given ? given : DEFAULT_ORDINAL, read);
        } catch (InstanceNotFoundException e) {
            throw new InvalidConfigurationException("the config source " + NAME + " is not in the server's management"
                    + " model (MBean " + MBEAN + "): nothing to reload from", e);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e); // a constant
        } catch (JMException e) {
            throw new IllegalStateException("cannot read the config source " + NAME + " (MBean " + MBEAN + "): " + e, e);
        }
    }
}
