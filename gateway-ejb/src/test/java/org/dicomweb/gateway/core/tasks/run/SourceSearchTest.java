package org.dicomweb.gateway.core.tasks.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.qido.QidoResult;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.tasks.TaskSelection;
import org.dicomweb.gateway.tasks.TaskTarget;
import org.dicomweb.gateway.testdata.JsonMatches;

/**
 * How a selection is found at the source, over a QIDO service that answers DICOM JSON pages as an AE does (limit and
 * offset, an AE cap of its own with its warning, instance-level searches it cannot do): paging, exact matching of
 * the PatientID asked, what is not known, and what is not there.
 */
class SourceSearchTest {

    /** An AE holding studies (PatientID each) with instances; {@code cap} its own limit per search. */
    private static final class Source implements QidoService {
        final List<String[]> studies = new ArrayList<>(); // {studyUid, patientId}
        final List<String[]> instances = new ArrayList<>(); // {studyUid, seriesUid, sopUid}
        final List<QidoRequest> asked = new ArrayList<>();
        int cap = Integer.MAX_VALUE;
        boolean instanceLevel = true;

        @Override
        public CompletionStage<QidoResult> search(String aet, QidoRequest request) {
            asked.add(request);
            if (request.resource().level() == QidoResource.QueryLevel.IMAGE && !instanceLevel) {
                throw new InvalidRequestException(aet + " does not search at instance level");
            }
            List<String> matches = request.resource() == QidoResource.STUDIES
                    ? studies.stream().filter(s -> matches(request, s[1])).map(s -> "{\"0020000D\":{\"vr\":\"UI\","
                            + "\"Value\":[\"" + s[0] + "\"]},\"00100020\":{\"vr\":\"LO\",\"Value\":[\"" + s[1] + "\"]}}")
                            .toList()
                    : instances.stream().filter(i -> i[0].equals(request.studyUid())
                            && (request.seriesUid() == null || i[1].equals(request.seriesUid())))
                            .map(i -> "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"" + i[2] + "\"]}}").toList();
            int offset = Integer.parseInt(request.parameters().get("offset").get(0));
            int limit = Integer.parseInt(request.parameters().get("limit").get(0));
            boolean capped = limit > cap;
            List<String> page = matches.subList(Math.min(offset, matches.size()),
                    Math.min(matches.size(), offset + Math.min(limit, cap)));
            return CompletableFuture.completedFuture(new JsonMatches("[" + String.join(",", page) + "]",
                    capped ? List.of("results are limited to " + cap + " per request") : List.of()));
        }

        /** A trailing * matches any ending, as a PACS matches a wildcard. */
        private static boolean matches(QidoRequest request, String patientId) {
            String asked = request.parameters().get("PatientID").get(0);
            return asked.endsWith("*") ? patientId.startsWith(asked.substring(0, asked.length() - 1))
                    : patientId.equals(asked);
        }
    }

    private final Source source = new Source();

    private void study(String study, String patientId, int instances) {
        source.studies.add(new String[] {study, patientId});
        for (int i = 1; i <= instances; i++) {
            source.instances.add(new String[] {study, study + ".1", study + ".1." + i});
        }
    }

    private List<SourceTarget> targets(int pageSize, TaskSelection selection) {
        return new SourceSearch("SRC", source, pageSize).targets(selection);
    }

    @Test
    void theStudiesOfAPatientAreFoundOverEveryPageWithTheirInstances() {
        IntStream.rangeClosed(1, 5).forEach(n -> study("1.2." + n, "P1", n));
        study("1.2.9", "P2", 1);

        List<SourceTarget> found = targets(2, TaskSelection.patient("P1"));

        assertEquals(List.of("1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5"),
                found.stream().map(t -> t.asked().studyInstanceUid()).toList());
        assertEquals(List.of(1, 2, 3, 4, 5), found.stream().map(t -> t.instances().size()).toList());
        assertEquals(List.of("1.2.5.1.1", "1.2.5.1.2", "1.2.5.1.3", "1.2.5.1.4", "1.2.5.1.5"),
                found.get(4).instances());
    }

    @Test
    void anAeThatCapsItsPagesBelowTheLimitAskedIsPagedFromWhereItStopped() {
        study("1.2.1", "P1", 7);
        source.cap = 3;

        List<SourceTarget> found = targets(100, TaskSelection.of(List.of(TaskTarget.study("1.2.1"))));

        assertEquals(7, found.get(0).instances().size());
        assertEquals(List.of("0", "3", "6", "7"), source.asked.stream()
                .map(r -> r.parameters().get("offset").get(0)).toList());
    }

    @Test
    void aWildcardInThePatientIdTakesOnlyTheStudiesOfThatVeryValue() {
        study("1.2.1", "P*", 1);
        study("1.2.2", "P1", 1);
        study("1.2.3", "P12", 1);

        assertEquals(List.of("1.2.1"), targets(10, TaskSelection.patient("P*")).stream()
                .map(t -> t.asked().studyInstanceUid()).toList());
    }

    @Test
    void aPatientWithoutStudiesOrATargetWithoutInstancesIsNotFound() {
        study("1.2.1", "P1", 2);

        NotFoundInPacsException noPatient = assertThrows(NotFoundInPacsException.class,
                () -> targets(10, TaskSelection.patient("P9")));
        assertEquals("SRC has no study of PatientID P9", noPatient.getMessage());
        NotFoundInPacsException noStudy = assertThrows(NotFoundInPacsException.class,
                () -> targets(10, TaskSelection.of(List.of(TaskTarget.study("1.2.1"), TaskTarget.study("1.2.7")))));
        assertEquals("SRC has no instances of study 1.2.7", noStudy.getMessage());
    }

    @Test
    void anAeThatCannotSearchInstancesLeavesTheCountUnknownAndAnInstanceListIsItsOwnCount() {
        study("1.2.1", "P1", 3);
        source.instanceLevel = false;

        List<SourceTarget> found = targets(10, TaskSelection.of(List.of(
                new TaskTarget("1.2.1", "1.2.1.1", List.of("1.2.1.1.1", "1.2.1.1.3")),
                new TaskTarget("1.2.1", "1.2.1.1", List.of()))));

        assertEquals(List.of("1.2.1.1.1", "1.2.1.1.3"), found.get(0).instances());
        assertNull(found.get(1).instances());
        assertEquals(1, source.asked.size(), "an instance list is not searched for");
    }

    @Test
    void aStudySearchThatFailsFailsTheTaskWithItsReason() {
        PeerFailureException down = new PeerFailureException("SRC: association refused", null);
        QidoService failing = (aet, request) -> CompletableFuture.failedFuture(down);

        assertEquals(down, assertThrows(PeerFailureException.class,
                () -> new SourceSearch("SRC", failing, 10).targets(TaskSelection.accession("A1"))));
    }
}
