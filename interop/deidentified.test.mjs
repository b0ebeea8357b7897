// A de-identifying AE driven by npm dicomweb-client (the DICOMweb client of OHIF), which nobody on this project
// wrote: ORTHANC-DEID (wildfly-config/loopback-peers.cli), the test Orthanc through the PS3.15 basic profile.
//
//   GATEWAY_URL=http://127.0.0.1:8080/dicomweb [AETS=ORTHANC-DEID] node --test interop/deidentified.test.mjs
//
// Needs the gateway running against the test Orthanc with the 2x2x5 sample studies loaded (scripts/test.sh; the files
// are read from work/samples/2x2x5, or SAMPLES_DIR) and npm ci --prefix interop. A client cannot tell which
// pseudonym stands for which sample (that is the point), so the samples are found by their pixel data: the frames
// of a de-identified study of 10 instances are the sample files' pixel data, byte for byte. Then: searches show no
// original UID or PatientID, matching on PatientID is refused (400), metadata is de-identified with BulkDataURIs at
// this AE by pseudonyms, and instances, bulk data, frames and rendered images carry the samples' pixels.
// The number of tests is fixed: 6 per AE. DicomwebClientIT checks the count, so keep it in step.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import {
  GATEWAY_URL, PIXEL_DATA, SERIES_UID, SOP_UID, STUDY_UID, TIMEOUT, assertSameBytes, part10, rawMultipart,
  recordingClient, samples, value, values,
} from './support.mjs';

const DEID_AETS = (process.env.AETS || 'ORTHANC-DEID').split(',').map((aet) => aet.trim()).filter(Boolean);
const PATIENT_ID = '00100020';
const PATIENT_IDENTITY_REMOVED = '00120062';
const STUDY_INSTANCES = '00201208';
const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');

for (const aet of DEID_AETS) {
  describe(`the de-identifying AE ${aet} through the gateway, with dicomweb-client`, () => {
    const base = `${GATEWAY_URL}/aets/${aet}`;
    const { call, search } = recordingClient(base);
    let sampleStudies;
    /** The first sample study, its pseudonym, and one instance of it: pseudonyms and the sample file. */
    let study;
    let pseudonym;
    let instance;

    before(async () => {
      sampleStudies = samples();
      [study] = sampleStudies;
      const byPixels = new Map();
      for (const series of study.series) {
        for (const sample of series.instances) {
          byPixels.set(sha(sample.pixelData), sample);
        }
      }
      const candidates = (await search('searchForStudies', { queryParams: { includefield: STUDY_INSTANCES } }))
        .filter((s) => value(s, STUDY_INSTANCES) === 10);
      for (const candidate of candidates) {
        const uid = value(candidate, STUDY_UID);
        const [first] = await search('searchForInstances', { studyInstanceUID: uid });
        const options = { studyInstanceUID: uid, seriesInstanceUID: value(first, SERIES_UID),
          sopInstanceUID: value(first, SOP_UID) };
        const { result } = await call('retrieveInstanceFrames', { ...options, frameNumbers: [1] });
        const sample = byPixels.get(sha(new Uint8Array(result[0])));
        if (sample) {
          pseudonym = uid;
          instance = { ...options, sample };
          break;
        }
      }
      assert.ok(pseudonym, `a study of ${aet} whose frames are the pixel data of sample study ${study.uid}`);
    });

    test('searchForStudies: pseudonym UIDs and patients, none of the originals', TIMEOUT, async () => {
      const matches = await search('searchForStudies', { queryParams: { includefield: `${PATIENT_ID}` } });
      const originals = new Set(sampleStudies.map((s) => s.uid));
      const patients = new Set(sampleStudies.flatMap((s) => s.series).flatMap((s) => s.instances)
        .map((i) => Buffer.from(i.elements[PATIENT_ID].bytes).toString('latin1').trim()));
      assert.ok(matches.length >= 2, 'the sample studies are there');
      for (const match of matches) {
        assert.ok(!originals.has(value(match, STUDY_UID)), `${value(match, STUDY_UID)} is an original study UID`);
        assert.ok(value(match, STUDY_UID).startsWith('2.25.'), 'a 2.25. pseudonym');
        assert.ok(!patients.has(value(match, PATIENT_ID)), `${value(match, PATIENT_ID)} is an original PatientID`);
        assert.equal(value(match, PATIENT_IDENTITY_REMOVED), 'YES');
      }
    });

    test('searchForStudies matching PatientID: refused with 400 naming it', TIMEOUT, async () => {
      const patient = Buffer.from(study.series[0].instances[0].elements[PATIENT_ID].bytes).toString('latin1').trim();
      await assert.rejects(call('searchForStudies', { queryParams: { PatientID: patient } }),
        (error) => /HTTP 400 .*PatientID/s.test(error.message), 'a 400 naming PatientID');
    });

    test('retrieveStudyMetadata: de-identified, BulkDataURIs at this AE by pseudonyms', TIMEOUT, async () => {
      const metadata = await search('retrieveStudyMetadata', { studyInstanceUID: pseudonym });
      assert.equal(metadata.length, 10, 'the study\'s instances');
      const text = JSON.stringify(metadata);
      assert.ok(!text.includes(study.uid), 'no original study UID');
      for (const object of metadata) {
        assert.equal(value(object, PATIENT_IDENTITY_REMOVED), 'YES');
        assert.ok(object[PIXEL_DATA].BulkDataURI.startsWith(`${base}/studies/${pseudonym}/series/`),
          object[PIXEL_DATA].BulkDataURI);
      }
      assert.ok(values(metadata, SOP_UID).includes(instance.sopInstanceUID));
    });

    test('retrieveBulkData of the Pixel Data BulkDataURI: the sample\'s pixel data', TIMEOUT, async () => {
      const [metadata] = await search('retrieveInstanceMetadata', instance);
      const { result, exchange } = await call('retrieveBulkData', { BulkDataURI: metadata[PIXEL_DATA].BulkDataURI });
      assert.equal(exchange.request.status, 200);
      assertSameBytes(new Uint8Array(result[0]), instance.sample.pixelData, 'the bulk data');
    });

    test('retrieveInstance: Part 10 with the pseudonym SOP Instance UID and the sample\'s pixel data', TIMEOUT,
      async () => {
        const { result, exchange } = await call('retrieveInstance', instance);
        assert.ok(rawMultipart(exchange).closed, 'the multipart body is complete');
        const summary = part10(result, 'the retrieved instance');
        assert.equal(summary.sop, instance.sopInstanceUID);
        const pixels = instance.sample.pixelData;
        assertSameBytes(summary.dataSet.subarray(summary.dataSet.length - pixels.length), pixels,
          'the pixel data, the data set\'s last element as in the sample');
      });

    test('retrieveInstanceRendered and retrieveInstanceThumbnail: JPEG images', TIMEOUT, async () => {
      for (const what of ['retrieveInstanceRendered', 'retrieveInstanceThumbnail']) {
        const { result, exchange } = await call(what, instance);
        assert.equal(exchange.request.status, 200, `${what}: ${exchange.url}`);
        assert.equal(exchange.request.getResponseHeader('Content-Type')?.split(';')[0], 'image/jpeg');
        assert.ok(result[0] instanceof ArrayBuffer && result[0].byteLength > 0, `${what}: an image`);
      }
    });
  });
}
