// QIDO-RS interoperability: the gateway searched with npm dicomweb-client (the DICOMweb client of OHIF), which
// nobody on this project wrote, in Node with xhr2 as its XMLHttpRequest.
//
//   GATEWAY_URL=http://127.0.0.1:8080/dicomweb [AETS=ORTHANC,DCMQRSCP,ORTHANC-WEB,S3] \
//   [ORTHANC_DICOMWEB_URL=http://127.0.0.1:18042/dicom-web] node --test interop/qido.test.mjs
//
// Needs the gateway running against the test PACS of scripts/peers.sh with sample studies loaded (scripts/test.sh
// does both; npm ci --prefix interop installs the client). The number of tests is fixed for a given AETS list: 7 per
// AE (6 for the AEs in NO_PERCENT_DECODING) and 3 against Orthanc's own DICOMweb; DicomwebClientIT checks the count,
// so keep it in step when adding or removing tests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  GATEWAY_URL, RETRIEVE_URL, SERIES_UID, SOP_UID, STUDY_UID, TIMEOUT, recordingClient, sorted,
} from './support.mjs';

const AETS = (process.env.AETS || 'ORTHANC,DCMQRSCP').split(',').map((aet) => aet.trim()).filter(Boolean);
const ORTHANC_DICOMWEB_URL = (process.env.ORTHANC_DICOMWEB_URL || 'http://127.0.0.1:18042/dicom-web')
  .replace(/\/+$/, '');

/**
 * AEs behind an upstream that does not percent-decode query values: ORTHANC-WEB is Orthanc 1.10's DICOMweb through the
 * proxy backend, and Orthanc matches PatientName=DOE%5EJ* against the literal "DOE%5EJ*" (nothing), while the gateway
 * cannot pass ^ on unencoded (java.net.URI refuses it). The search by a name with ^ is not run for them.
 */
const NO_PERCENT_DECODING = ['ORTHANC-WEB'];

const PATIENT_NAME = '00100010';
const PATIENT_ID = '00100020';
const STUDY_DATE = '00080020';
const ACCESSION_NUMBER = '00080050';
const MODALITIES_IN_STUDY = '00080061';
const STUDY_RELATED_SERIES = '00201206';
const STUDY_RELATED_INSTANCES = '00201208';
const SERIES_RELATED_INSTANCES = '00201209';

/** The first value of an attribute: a string, a number, or a person name's Alphabetic group; undefined if absent. */
function value(dataset, tag) {
  const first = dataset?.[tag]?.Value?.[0];
  if (first !== null && typeof first === 'object') {
    return first.Alphabetic;
  }
  return first;
}

function values(datasets, tag) {
  return datasets.map((dataset) => value(dataset, tag));
}

function assertUnique(list, what) {
  assert.equal(new Set(list).size, list.length, `${what} are unique: ${list}`);
}

for (const aet of AETS) {
  describe(`QIDO-RS of ${aet} through the gateway, with dicomweb-client`, () => {
    const base = `${GATEWAY_URL}/aets/${aet}`;
    const { search: call, last } = recordingClient(base);
    /** All studies of the PACS, from an unfiltered search: the ground truth of the filtered searches. */
    let studies;
    /** A study with more than one series if the PACS has one, and its series. */
    let study;
    let seriesOfStudy;

    before(async () => {
      studies = await call('searchForStudies');
      assert.ok(studies.length > 0, `${aet} holds studies (load the samples: scripts/test.sh does)`);
      for (const candidate of values(studies, STUDY_UID).slice(0, 20)) {
        const series = await call('searchForSeries', { studyInstanceUID: candidate });
        if (study === undefined || series.length > seriesOfStudy.length) {
          study = candidate;
          seriesOfStudy = series;
        }
        if (seriesOfStudy.length > 1) {
          break;
        }
      }
    });

    test('searchForStudies without filters: studies with their RetrieveURL on the gateway', TIMEOUT, () => {
      const uids = values(studies, STUDY_UID);
      assert.ok(uids.every((uid) => typeof uid === 'string' && uid.length > 0), 'every study has its UID');
      assertUnique(uids, 'StudyInstanceUIDs');
      for (const match of studies) {
        const url = value(match, RETRIEVE_URL);
        assert.ok(url?.startsWith(GATEWAY_URL), `RetrieveURL ${url} starts with ${GATEWAY_URL}`);
        assert.equal(url, `${base}/studies/${value(match, STUDY_UID)}`);
      }
    });

    test('searchForStudies with limit: at most that many, all of them real studies', TIMEOUT, async () => {
      assert.ok(studies.length > 2, `the samples have more than 2 studies in ${aet}, not ${studies.length}`);
      const limited = await call('searchForStudies', { queryParams: { limit: 2 } });
      assert.match(last().url, /\/studies\?limit=2$/);
      assert.equal(limited.length, 2);
      const all = new Set(values(studies, STUDY_UID));
      for (const uid of values(limited, STUDY_UID)) {
        assert.ok(all.has(uid), `${uid} is one of the studies of ${aet}`);
      }
    });

    const nameSearch = NO_PERCENT_DECODING.includes(aet) ? () => {} : test;
    nameSearch('searchForStudies by PatientName with ^ and *: sent percent-encoded, matched as a wildcard', TIMEOUT,
      async () => {
        // A plain ASCII FAMILY^GIVEN name of the PACS, so that the query needs both ^ and *.
        const name = values(studies, PATIENT_NAME).find((n) => /^[A-Za-z]+\^[A-Za-z]/.test(n ?? ''));
        assert.ok(name, `a FAMILY^GIVEN patient name among ${values(studies, PATIENT_NAME)}`);
        const prefix = name.slice(0, name.indexOf('^') + 2); // DOE^J
        const pattern = `${prefix}*`;
        const matches = await call('searchForStudies', { queryParams: { PatientName: pattern, limit: 1000 } });
        // What the client put on the wire: ^ as %5E, * as it is (encodeURIComponent leaves * alone).
        assert.ok(last().url.endsWith(`/studies?PatientName=${prefix.replace('^', '%5E')}*&limit=1000`), last().url);
        assert.equal(last().headers.Accept, 'application/dicom+json');
        assert.ok(matches.length > 0, `${pattern} matches ${name}`);
        for (const n of values(matches, PATIENT_NAME)) {
          // Orthanc matches names case-insensitively, dcmqrscp exactly.
          assert.ok(n?.toUpperCase().startsWith(prefix.toUpperCase()), `${n} matches ${pattern}`);
        }
        const expected = studies.filter((s) => value(s, PATIENT_NAME)?.startsWith(prefix));
        const found = new Set(values(matches, STUDY_UID));
        for (const uid of values(expected, STUDY_UID)) {
          assert.ok(found.has(uid), `study ${uid} (${pattern}) is found`);
        }
      });

    test('searchForSeries of a study: every series carries the study, the UID set is consistent', TIMEOUT,
      async () => {
        const series = await call('searchForSeries', { studyInstanceUID: study });
        assert.equal(last().url, `${base}/studies/${study}/series`);
        assert.ok(series.length > 0, `study ${study} has series`);
        assert.deepEqual(sorted(values(series, STUDY_UID)), series.map(() => study), 'series carry their study');
        const seriesUids = values(series, SERIES_UID);
        assertUnique(seriesUids, 'SeriesInstanceUIDs');
        assert.deepEqual(sorted(seriesUids), sorted(values(seriesOfStudy, SERIES_UID)), 'same answer twice');
        for (const match of series) {
          assert.equal(value(match, RETRIEVE_URL), `${base}/studies/${study}/series/${value(match, SERIES_UID)}`);
        }
        // The same series, asked for by a UID list (the client sends the commas as %2C).
        const listed = await call('searchForSeries',
          { studyInstanceUID: study, queryParams: { SeriesInstanceUID: seriesUids.join(',') } });
        assert.ok(last().url.includes(`SeriesInstanceUID=${seriesUids.join('%2C')}`), last().url);
        assert.deepEqual(sorted(values(listed, SERIES_UID)), sorted(seriesUids), 'UID list matching');
        // The series seen from the instances of the study are the same set.
        const instances = await call('searchForInstances', { studyInstanceUID: study });
        assert.equal(last().url, `${base}/studies/${study}/instances`);
        assert.deepEqual(sorted(new Set(values(instances, SERIES_UID))), sorted(seriesUids),
          'series of the study = series of its instances');
        assert.ok(values(instances, STUDY_UID).every((uid) => uid === study), 'instances carry their study');
      });

    test('searchForInstances of a series: every instance carries its study and series', TIMEOUT, async () => {
      const series = seriesOfStudy[0];
      const seriesUid = value(series, SERIES_UID);
      const instances = await call('searchForInstances', { studyInstanceUID: study, seriesInstanceUID: seriesUid });
      assert.equal(last().url, `${base}/studies/${study}/series/${seriesUid}/instances`);
      assert.ok(instances.length > 0, `series ${seriesUid} has instances`);
      const expectedCount = value(series, SERIES_RELATED_INSTANCES);
      if (expectedCount !== undefined) {
        assert.equal(instances.length, Number(expectedCount), 'NumberOfSeriesRelatedInstances of the series');
      }
      const sops = values(instances, SOP_UID);
      assertUnique(sops, 'SOPInstanceUIDs');
      for (const match of instances) {
        assert.equal(value(match, STUDY_UID), study);
        assert.equal(value(match, SERIES_UID), seriesUid);
        assert.equal(value(match, RETRIEVE_URL),
          `${base}/studies/${study}/series/${seriesUid}/instances/${value(match, SOP_UID)}`);
      }
      const ofStudy = await call('searchForInstances', { studyInstanceUID: study });
      assert.deepEqual(sorted(sops),
        sorted(values(ofStudy.filter((i) => value(i, SERIES_UID) === seriesUid), SOP_UID)),
        'the instances of the series, seen from the study');
    });

    test('searchForInstances of all studies with limit', TIMEOUT, async () => {
      const instances = await call('searchForInstances', { queryParams: { limit: 3 } });
      assert.equal(last().url, `${base}/instances?limit=3`);
      assert.equal(instances.length, 3);
      const allStudies = new Set(values(studies, STUDY_UID));
      for (const match of instances) {
        const [s, se, sop] = [value(match, STUDY_UID), value(match, SERIES_UID), value(match, SOP_UID)];
        assert.ok(allStudies.has(s), `instance ${sop} is in a study of ${aet}: ${s}`);
        assert.ok(se && sop, 'series and SOP instance UIDs');
        assert.equal(value(match, RETRIEVE_URL), `${base}/studies/${s}/series/${se}/instances/${sop}`);
      }
    });

    test('a search without matches is an empty array (HTTP 204)', TIMEOUT, async () => {
      const patientId = `NO_SUCH_PATIENT_${process.pid}`;
      assert.deepEqual(await call('searchForStudies', { queryParams: { PatientID: patientId } }), []);
      assert.equal(last().request.status, 204);
      assert.deepEqual(await call('searchForInstances',
        { studyInstanceUID: study, seriesInstanceUID: '1.2.3.4.5.6.7.8.9' }), []);
      assert.equal(last().request.status, 204);
    });
  });
}

if (AETS.includes('ORTHANC')) {
  describe('the gateway and Orthanc\'s own DICOMweb give the same answers, with dicomweb-client', () => {
    const { search: gatewaySearch } = recordingClient(`${GATEWAY_URL}/aets/ORTHANC`);
    const { search: orthancSearch, sent: sentToOrthanc } = recordingClient(ORTHANC_DICOMWEB_URL);
    /** All studies of Orthanc, searched through the gateway. */
    let studies;
    /** Study attributes both answer with, by StudyInstanceUID. */
    const summary = (matches) => Object.fromEntries(matches.map((m) => [value(m, STUDY_UID),
      [PATIENT_ID, PATIENT_NAME, STUDY_DATE, ACCESSION_NUMBER, MODALITIES_IN_STUDY, STUDY_RELATED_SERIES,
        STUDY_RELATED_INSTANCES].map((tag) => value(m, tag))]));

    before(async () => {
      studies = await gatewaySearch('searchForStudies');
    });

    after(() => {
      // Orthanc's QIDO does not decode %2A/%5E in values: the comparisons use queries that need no encoding.
      for (const { url } of sentToOrthanc) {
        assert.ok(!/%[0-9A-F]{2}/i.test(url), `nothing percent-encoded was sent to Orthanc: ${url}`);
      }
    });

    test('all studies: the same StudyInstanceUIDs', TIMEOUT, async () => {
      const direct = await orthancSearch('searchForStudies');
      assert.ok(direct.length > 0, 'Orthanc has studies');
      assert.deepEqual(sorted(values(studies, STUDY_UID)), sorted(values(direct, STUDY_UID)));
    });

    test('studies by PatientID, for every patient: the same studies with the same attributes', TIMEOUT,
      async () => {
        const patientIds = [...new Set(values(studies, PATIENT_ID))].filter((id) => /^[A-Za-z0-9._-]+$/.test(id ?? ''));
        assert.ok(patientIds.length > 0, `plain PatientIDs among ${values(studies, PATIENT_ID)}`);
        for (const patientId of patientIds) {
          const query = { queryParams: { PatientID: patientId } };
          const viaGateway = await gatewaySearch('searchForStudies', query);
          const direct = await orthancSearch('searchForStudies', query);
          assert.ok(direct.length > 0, `Orthanc has studies of ${patientId}`);
          assert.deepEqual(sorted(values(viaGateway, STUDY_UID)), sorted(values(direct, STUDY_UID)), patientId);
          assert.deepEqual(summary(viaGateway), summary(direct), patientId);
        }
      });

    test('series of the studies of a patient: the same series', TIMEOUT, async () => {
      const patientId = value(studies[0], PATIENT_ID);
      const direct = await orthancSearch('searchForStudies', { queryParams: { PatientID: patientId } });
      for (const study of values(direct, STUDY_UID)) {
        const viaGateway = await gatewaySearch('searchForSeries', { studyInstanceUID: study });
        const series = await orthancSearch('searchForSeries', { studyInstanceUID: study });
        assert.ok(series.length > 0, `Orthanc has series in ${study}`);
        assert.deepEqual(sorted(values(viaGateway, SERIES_UID)), sorted(values(series, SERIES_UID)), study);
      }
    });
  });
}
