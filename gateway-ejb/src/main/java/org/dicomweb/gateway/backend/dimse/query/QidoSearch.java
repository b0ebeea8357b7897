package org.dicomweb.gateway.backend.dimse.query;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonGenerator;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniversalResourceAttribute;

import org.dicomweb.gateway.backend.dimse.association.AssociationPool;
import org.dicomweb.gateway.backend.dimse.association.WriterHandover;
import org.dicomweb.gateway.core.json.DicomJson;
import org.dicomweb.gateway.core.json.ReturnKeys;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;
import org.dicomweb.gateway.qido.QidoResult;

/**
 * One running QIDO-RS search. The DIMSE thread that took the association runs {@link #run}: it reads up to the
 * first match, hands the search over (completing the caller's stage) and waits until the writer has finished, so
 * that matches go from the PACS to the client one by one, never collected. The writer gives the association back as
 * soon as the PACS's last response is read (or the C-FIND is cancelled): the end of the answer and the HTTP exchange's
 * completion do not hold it.
 */
public final class QidoSearch implements QidoResult {

    private static final Logger LOG = Logger.getLogger(QidoSearch.class.getName());

    private final SearchPlan plan;
    private final String retrieveBaseUrl;
    private final String aet;
    private final WriterHandover handover;
    private AssociationPool.Lease lease;
    private MatchStream stream;
    private QueryNegotiation negotiated = QueryNegotiation.NONE;
    private AttributeList first;

    public QidoSearch(SearchPlan plan, String retrieveBaseUrl, String aet) {
        this.plan = plan;
        this.retrieveBaseUrl = retrieveBaseUrl;
        this.aet = aet;
        this.handover = new WriterHandover(aet + ": search", this::cancelQuietly, () -> lease.abort());
    }

    /**
     * On the DIMSE thread, with the association. Failures before the hand-over propagate (the caller's stage fails
     * with them); after it, the writer reports them.
     */
    public void run(AssociationPool.Lease lease, CompletableFuture<QidoResult> started, long claimTimeoutMs,
            long stallTimeoutMs) {
        this.lease = lease;
        negotiated = lease.association().queryNegotiation();
        stream = new MatchStream(lease.association(), plan.chain());
        first = firstMatch();
        if (first == null) {
            handover.finished();
            started.complete(this);
            return;
        }
        started.complete(this);
        handover.awaitWriter(claimTimeoutMs, stallTimeoutMs);
    }

    private AttributeList firstMatch() {
        if (plan.limit() == 0) {
            return null;
        }
        for (int skipped = 0; skipped < plan.offset(); skipped++) {
            if (stream.next() == null) {
                return null;
            }
        }
        return stream.next();
    }

    @Override
    public boolean hasMatches() {
        return first != null;
    }

    @Override
    public List<String> warnings() {
        return plan.warningsOn(negotiated);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        handover.claim();
        int written = 0;
        try {
            JsonGenerator json = DicomJson.generator(out);
            json.writeStartArray();
            for (AttributeList match = first; match != null; match = written < plan.limit() ? stream.next() : null) {
                addRetrieveUrl(match);
                DicomJson.writeObject(json, match);
                if (!stream.hasBufferedInput()) {
                    json.flush(); // sent before waiting for the PACS; matches already received go out together
                }
                written++;
                handover.progress().advanced();
            }
            stream.cancel(); // the limit was reached before the PACS's last response: C-CANCEL
            lease.close(); // the C-FIND is over; the rest of the answer is the client's business
            handover.finished(); // and the DIMSE thread's: it is not held until the client has it all
            json.writeEnd();
            json.flush();
        } catch (JsonException clientGone) {
            cancelQuietly();
            throw new IOException(aet + ": client went away after " + written + " matches", clientGone);
        } catch (GatewayException pacsFailure) {
            // Ending the body without closing the array makes the truncation visible to every client.
            LOG.warning(aet + ": search failed after " + written + " matches were sent: " + pacsFailure.getMessage());
            throw new IOException(pacsFailure.getMessage(), pacsFailure);
        } finally {
            handover.finished();
        }
    }

    @Override
    public void abandon() {
        handover.abandon();
    }

    private void cancelQuietly() {
        if (lease.isReturned()) {
            return; // the C-FIND was over already, and the association may serve another request by now
        }
        try {
            stream.cancel();
        } catch (GatewayException e) {
            LOG.log(Level.FINE, aet + ": C-CANCEL failed; the association is aborted", e);
        }
    }

    /** RetrieveURL (0008,1190): where this gateway serves the match (PS3.18 §10.6.3). */
    private void addRetrieveUrl(AttributeList match) {
        StringBuilder url = new StringBuilder(retrieveBaseUrl)
                .append("/studies/").append(Attribute.getSingleStringValueOrEmptyString(match, TagFromName.StudyInstanceUID));
        QueryLevel level = plan.matchLevel();
        if (level != QueryLevel.STUDY) {
            url.append("/series/").append(Attribute.getSingleStringValueOrEmptyString(match, TagFromName.SeriesInstanceUID));
        }
        if (level == QueryLevel.IMAGE) {
            url.append("/instances/").append(Attribute.getSingleStringValueOrEmptyString(match, TagFromName.SOPInstanceUID));
        }
        try {
            Attribute attribute = new UniversalResourceAttribute(ReturnKeys.RETRIEVE_URL); // per match: no reflection
            attribute.addValue(url.toString());
            match.put(attribute);
        } catch (DicomException e) {
            throw new IllegalStateException("cannot build RetrieveURL " + url, e);
        }
    }
}
