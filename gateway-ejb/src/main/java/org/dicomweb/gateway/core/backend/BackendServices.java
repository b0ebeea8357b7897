package org.dicomweb.gateway.core.backend;

import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.stow.StowService;
import org.dicomweb.gateway.wado.WadoMetadataService;
import org.dicomweb.gateway.wado.WadoPixelService;
import org.dicomweb.gateway.wado.WadoService;

/**
 * The DICOMweb services of one backend, one per service interface of gateway-api. A backend that cannot serve one
 * natively takes the core's (e.g. {@link org.dicomweb.gateway.core.wado.CachedMetadataService} over its own
 * {@link WadoService}).
 */
public record BackendServices(QidoService qido, WadoService wado, WadoMetadataService metadata,
        WadoPixelService pixels, StowService stow) {
}
