/**
 * MicroProfile Health checks. They live in a library jar of the EAR, not in its EJB or web module, because WildFly
 * does not register health checks found in EAR subdeployments (WFLY-12835; measured on WildFly 37). WildFly calls
 * them with the web module's class loader as context, so {@code CDI.current()} reaches the services implemented in
 * the EJB module.
 */
package org.dicomweb.gateway.health;
