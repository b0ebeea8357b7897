// WADO-RS and STOW-RS interoperability: the gateway's instance retrieval and store driven by npm dicomweb-client (the
// DICOMweb client of OHIF), which nobody on this project wrote, in Node with xhr2 as its XMLHttpRequest.
//
//   GATEWAY_URL=http://127.0.0.1:8080/dicomweb [AETS=ORTHANC,DCMQRSCP,ORTHANC-MOVE,ORTHANC-WEB] \
//   node --test interop/wado-stow.test.mjs
//
// Needs the gateway running against the test PACS of scripts/peers.sh with the 2x2x5 sample studies loaded
// (scripts/test.sh does both; npm ci --prefix interop installs the client; the files are read from
// work/samples/2x2x5, or SAMPLES_DIR), and java with PixelMed (/usr/share/java/pixelmed.jar, or PIXELMED_JAR) to
// generate the instances it stores. The C-MOVE AEs (DCMQRSCP, ORTHANC-MOVE) need the gateway's Storage SCP on the
// port the PACS know (11112). What is retrieved is compared byte for byte with the sample files (data set after the
// File Meta Information, which the gateway writes from the C-STORE), and what is stored with what is retrieved back.
// The number of tests is fixed for a given AETS list: 3 per AE, and 2 more per AE among ORTHANC, DCMQRSCP,
// ORTHANC-WEB and S3 (the ones stored into; ORTHANC-MOVE is the same Orthanc as ORTHANC by another retrieval,
// ORTHANC-WEB stores through the DICOMweb proxy backend, S3 into the S3 backend's bucket): 23 for
// ORTHANC,DCMQRSCP,ORTHANC-MOVE,ORTHANC-WEB,S3. DicomwebClientIT checks the count, so keep it in step when adding or
// removing tests. The S3 AE holds the samples once they are stored into it (DicomwebClientIT does, through STOW-RS).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  AETS, EXPLICIT_VR_LITTLE_ENDIAN, GATEWAY_URL, PROJECT_ROOT, RETRIEVE_URL, SERIES_UID, SOP_UID,
  TIMEOUT, arrayBuffer, assertSameBytes, part10, rawMultipart, recordingClient, samples, sorted, text,
  value, values,
} from './support.mjs';

/**
 * STOW-RS goes to each way of storing once: ORTHANC-MOVE stores as ORTHANC does (C-STORE), ORTHANC-WEB through
 * Orthanc's own STOW-RS, S3 into a bucket (each describe stores instances of its own, so they are new to the PACS every
 * time).
 */
const STOW_AETS = ['ORTHANC', 'DCMQRSCP', 'ORTHANC-WEB', 'S3'].filter((aet) => AETS.includes(aet));
const PIXELMED_JAR = process.env.PIXELMED_JAR || '/usr/share/java/pixelmed.jar';

const REFERENCED_SOP_SEQUENCE = '00081199';
const FAILED_SOP_SEQUENCE = '00081198';
const REFERENCED_SOP_CLASS_UID = '00081150';
const REFERENCED_SOP_INSTANCE_UID = '00081155';

const ACCEPT_DICOM = 'multipart/related; type="application/dicom"';

/**
 * Checks a WADO-RS retrieval as dicomweb-client saw it and as it went over the wire: the client asked for
 * application/dicom parts, the gateway answered 200 multipart/related, complete, with as many parts as the client
 * returned, each a DICOM Part 10 instance in Explicit VR Little Endian (the default transfer syntax, PS3.18
 * §8.7.3.5.2, as none was asked). Returns the instances' Part 10 summaries.
 */
function checkRetrieved(instances, exchange, what) {
  assert.equal(exchange.method, 'GET');
  assert.equal(exchange.headers.Accept, ACCEPT_DICOM, `${what}: what dicomweb-client accepts`);
  assert.equal(exchange.request.status, 200, `${what}: ${exchange.url}`);
  const raw = rawMultipart(exchange);
  assert.match(raw.type, /^multipart\/related;.*type="?application\/dicom"?/, `${what}: Content-Type`);
  assert.ok(raw.closed, `${what}: the multipart body is complete (has its closing delimiter)`);
  assert.equal(raw.parts, instances.length, `${what}: parts sent = parts dicomweb-client returned`);
  return instances.map((instance, i) => {
    const file = part10(instance, `${what}, part ${i + 1}`);
    assert.equal(instance.contentType, 'application/dicom', `${what}, part ${i + 1}: Content-Type as decoded`);
    assert.equal(file.transferSyntax, EXPLICIT_VR_LITTLE_ENDIAN, `${what}, part ${i + 1}: transfer syntax`);
    assert.equal(instance.transferSyntaxUID, file.transferSyntax, `${what}: the part's transfer-syntax parameter`);
    return file;
  });
}

/** Retrieved instances = these sample files: the same SOP Instance UIDs, each the same SOP class and data set. */
function assertSameInstances(files, expected, what) {
  assert.deepEqual(sorted(files.map((f) => f.sop)), sorted(expected.map((f) => f.sop)), `${what}: the instances`);
  for (const file of files) {
    const original = expected.find((f) => f.sop === file.sop);
    assert.equal(file.sopClass, original.sopClass, `${what}: ${file.sop}: SOP Class UID`);
    assertSameBytes(file.dataSet, original.dataSet, `${what}: ${file.sop}: the data set`);
  }
}

for (const aet of AETS) {
  describe(`WADO-RS of ${aet} through the gateway, with dicomweb-client`, () => {
    const base = `${GATEWAY_URL}/aets/${aet}`;
    const { call, search } = recordingClient(base);
    /** The first sample study (2 series of 5 instances), as read from its files. */
    let study;

    before(async () => {
      [study] = samples();
      assert.ok(study.series.length >= 2 && study.series.every((s) => s.instances.length >= 2),
        `${study.uid}: a sample study of 2 or more series of 2 or more instances`);
      const found = await search('searchForInstances', { studyInstanceUID: study.uid });
      const sops = study.series.flatMap((s) => s.instances).map((i) => i.sop);
      assert.deepEqual(sorted(values(found, SOP_UID)), sorted(sops),
        `${aet} holds sample study ${study.uid}, all its instances (load the samples: scripts/test.sh does)`);
    });

    test('retrieveInstance: one Part 10 instance, the sample file asked', TIMEOUT, async () => {
      const series = study.series[1];
      const sample = series.instances[1];
      const { result, exchange } = await call('retrieveInstance',
        { studyInstanceUID: study.uid, seriesInstanceUID: series.uid, sopInstanceUID: sample.sop });
      assert.equal(exchange.url, `${base}/studies/${study.uid}/series/${series.uid}/instances/${sample.sop}`);
      // retrieveInstance returns the first part only: the whole response is one instance.
      const files = checkRetrieved([result], exchange, 'retrieveInstance');
      assertSameInstances(files, [sample], 'retrieveInstance');
    });

    test('retrieveSeries: the instances of that series, and only those, as in the sample files', TIMEOUT, async () => {
      const series = study.series[0];
      const { result, exchange } = await call('retrieveSeries',
        { studyInstanceUID: study.uid, seriesInstanceUID: series.uid });
      assert.equal(exchange.url, `${base}/studies/${study.uid}/series/${series.uid}`);
      assert.ok(Array.isArray(result), 'retrieveSeries returns an array');
      assertSameInstances(checkRetrieved(result, exchange, 'retrieveSeries'), series.instances, 'retrieveSeries');
    });

    test('retrieveStudy: every instance of the study, and only those, as in the sample files', TIMEOUT, async () => {
      const { result, exchange } = await call('retrieveStudy', { studyInstanceUID: study.uid });
      assert.equal(exchange.url, `${base}/studies/${study.uid}`);
      assert.ok(Array.isArray(result), 'retrieveStudy returns an array');
      assertSameInstances(checkRetrieved(result, exchange, 'retrieveStudy'),
        study.series.flatMap((s) => s.instances), 'retrieveStudy');
    });
  });
}

/**
 * New instances (new Study, Series and SOP Instance UIDs) made by scripts/GenerateStudies.java, once per AE stored
 * into: ORTHANC and ORTHANC-WEB store into the same Orthanc, where the second would find them already.
 */
function newInstances() {
  const dir = mkdtempSync(path.join(tmpdir(), 'interop-stow-'));
  try {
    // 1 study, 1 series, 2 CT instances of ~0.5 MB, Explicit VR Little Endian.
    execFileSync('java', ['-cp', PIXELMED_JAR, path.join(PROJECT_ROOT, 'scripts/GenerateStudies.java'),
      dir, '1', '1', '2'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    const [study] = readdirSync(dir);
    const [series] = readdirSync(path.join(dir, study));
    const files = readdirSync(path.join(dir, study, series)).sort().map((name) => {
      const buffer = arrayBuffer(readFileSync(path.join(dir, study, series, name)));
      return { buffer, ...part10(buffer, name) };
    });
    assert.equal(files.length, 2, `GenerateStudies wrote 2 instances into ${dir}`);
    return { study, series, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const aet of STOW_AETS) {
  describe(`STOW-RS into ${aet} through the gateway, with dicomweb-client`, () => {
    const base = `${GATEWAY_URL}/aets/${aet}`;
    const { call, search } = recordingClient(base);
    let instances;
    /** Set once the store succeeded. */
    let stored = false;

    before(() => {
      instances = newInstances();
    });

    test('storeInstances of two new instances (not yet in the PACS): 200, ReferencedSOPSequence names both', TIMEOUT,
      async () => {
        const { study, series, files } = instances;
        assert.deepEqual(await search('searchForInstances', { studyInstanceUID: study }), [],
          `the generated study ${study} is new to ${aet}`);
        const { result, exchange } = await call('storeInstances', { datasets: files.map((f) => f.buffer) });
        assert.equal(exchange.method, 'POST');
        assert.equal(exchange.url, `${base}/studies`);
        assert.match(exchange.headers['Content-Type'],
          /^multipart\/related; type="application\/dicom"; boundary="[^"]+"$/, 'what dicomweb-client sends');
        const status = exchange.request.status;
        const type = exchange.request.getResponseHeader('Content-Type');
        assert.equal(status, 200, `HTTP ${status} ${type}: ${text(result)}`);
        assert.match(type ?? '', /^application\/dicom\+json/, 'the response Content-Type');
        // dicomweb-client resolves a STOW with the response as it came: here the text of the DICOM JSON.
        assert.equal(typeof result, 'string', 'dicomweb-client hands over the raw response');
        const response = JSON.parse(result);
        assert.ok(response && typeof response === 'object' && !Array.isArray(response),
          `one DICOM JSON data set: ${result}`);
        assert.equal(response[FAILED_SOP_SEQUENCE], undefined, `no FailedSOPSequence: ${result}`);
        assert.equal(response[REFERENCED_SOP_SEQUENCE]?.vr, 'SQ', `ReferencedSOPSequence: ${result}`);
        const referenced = response[REFERENCED_SOP_SEQUENCE].Value ?? [];
        assert.deepEqual(sorted(values(referenced, REFERENCED_SOP_INSTANCE_UID)), sorted(files.map((f) => f.sop)),
          'ReferencedSOPInstanceUIDs are the stored instances');
        for (const item of referenced) {
          const sop = value(item, REFERENCED_SOP_INSTANCE_UID);
          assert.equal(value(item, REFERENCED_SOP_CLASS_UID), files.find((f) => f.sop === sop).sopClass);
          assert.equal(value(item, RETRIEVE_URL), `${base}/studies/${study}/series/${series}/instances/${sop}`);
        }
        assert.equal(value(response, RETRIEVE_URL), `${base}/studies/${study}`, 'RetrieveURL of the study');
        stored = true;
      });

    test('the stored instances: found by searchForInstances, retrieved back identical', TIMEOUT, async () => {
      assert.ok(stored, 'the instances were stored by the previous test');
      const { study, series, files } = instances;
      const found = await search('searchForInstances', { studyInstanceUID: study });
      assert.deepEqual(sorted(values(found, SOP_UID)), sorted(files.map((f) => f.sop)), `instances of study ${study}`);
      assert.deepEqual(values(found, SERIES_UID), files.map(() => series), 'in their series');
      const { result, exchange } = await call('retrieveSeries', { studyInstanceUID: study, seriesInstanceUID: series });
      const retrieved = checkRetrieved(result, exchange, 'retrieveSeries of the stored series');
      assertSameInstances(retrieved, files, 'the stored series retrieved back');
    });
  });
}
