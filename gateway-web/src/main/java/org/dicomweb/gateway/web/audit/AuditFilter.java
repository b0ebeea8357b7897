package org.dicomweb.gateway.web.audit;

import java.io.IOException;
import java.security.Principal;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.access.Service;
import org.dicomweb.gateway.audit.AuditSource;
import org.dicomweb.gateway.web.cors.CorsFilter;

/**
 * Writes one audit record per HTTP request when it ends (docs/security.md, "Audit trail"): a JSON line in the log
 * category {@value #CATEGORY}, which wildfly-config/gateway.cli sends to dicomweb-audit.log only. A servlet filter, not a JAX-RS
 * one, because only the servlet layer sees the end of a request whose body is streamed after the resource returned
 * (a CompletionStage, an AsyncResponse, a StreamingOutput): the record is written when its async context completes.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class AuditFilter implements Filter {

    static final String CATEGORY = "org.dicomweb.gateway.audit";
    private static final Logger AUDIT = Logger.getLogger(CATEGORY);

    @Inject
    AuditSource source;

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        Instant start = Instant.now();
        long started = System.nanoTime();
        AuditFacts facts = AuditFacts.attachTo(request);
        CountedExchange exchange = new CountedExchange(request, response);
        boolean failed = true;
        try {
            chain.doFilter(exchange.request(), exchange.response());
            failed = false;
        } finally {
            // the principal and the target are known once the first dispatch returns; the rest at the very end
            Ending ending = new Ending(start, started, request, response, facts, exchange, failed);
            if (!failed && request.isAsyncStarted()) {
                request.getAsyncContext().addListener(ending);
            } else {
                ending.write();
            }
        }
    }

    /** The request's end: its record written once, on the first dispatch's return or its async context's end. */
    private final class Ending implements AsyncListener {
        private final AtomicBoolean written = new AtomicBoolean();
        private final Instant start;
        private final long started;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AuditFacts facts;
        private final CountedExchange exchange;
        private final boolean failed;
        private final String user;
        private final RequestTarget target;
        private final boolean preflight;

        Ending(Instant start, long started, HttpServletRequest request, HttpServletResponse response, AuditFacts facts,
                CountedExchange exchange, boolean failed) {
            this.start = start;
            this.started = started;
            this.request = request;
            this.response = response;
            this.facts = facts;
            this.exchange = exchange;
            this.failed = failed;
            Principal principal = request.getUserPrincipal();
            this.user = principal == null ? AuditEvent.ANONYMOUS : principal.getName();
            // set by RequestTargetFilter; a request refused before JAX-RS saw it has none
            this.target = request.getAttribute(RequestTarget.PROPERTY) instanceof RequestTarget parsed ? parsed
                    : RequestTarget.of(Service.UNKNOWN);
            this.preflight = CorsFilter.isPreflight(request);
        }

        void write() {
            if (!written.compareAndSet(false, true)) {
                return;
            }
            // an exception out of the chain becomes a 500 unless the response had started: then it is cut off
            boolean cutOff = facts.isCutOff() || (failed && response.isCommitted());
            int status = failed && !response.isCommitted() ? 500 : response.getStatus();
            String context = request.getContextPath();
            String gatewayUrl = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
                    + context;
            AuditEvent event = new AuditEvent(start, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), user,
                    request.getRemoteAddr(), gatewayUrl, request.getLocalAddr(), source.sourceId(), request.getMethod(),
                    request.getRequestURI().substring(context.length()), request.getQueryString(), target,
                    preflight, status, cutOff, exchange.bytesIn(), exchange.bytesOut(), facts.instances(),
                    facts.matches(), facts.studies());
            AUDIT.info(AuditMessage.of(event).toString());
        }

        @Override
        public void onComplete(AsyncEvent event) {
            write();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // the container completes the request next: onComplete writes the record with the final status
        }

        @Override
        public void onError(AsyncEvent event) {
            if (response.isCommitted()) {
                facts.cutOff();
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this); // a new async cycle: listeners must be added again
        }
    }
}
