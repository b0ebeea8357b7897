package org.dicomweb.gateway.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** All resources live under the WAR's context root, /dicomweb (see gateway-ear/pom.xml). */
@ApplicationPath("/")
public class GatewayApplication extends Application {
}
