// WADO-RS metadata, bulk data, frames, rendered and thumbnail interoperability: the gateway driven by npm
// dicomweb-client (the DICOMweb client of OHIF), which nobody on this project wrote, in Node with xhr2 as its
// XMLHttpRequest, and every answer compared with the sample files the PACS were loaded with.
//
//   GATEWAY_URL=http://127.0.0.1:8080/dicomweb [AETS=ORTHANC,DCMQRSCP,ORTHANC-MOVE,ORTHANC-WEB] \
//   node --test interop/metadata.test.mjs
//
// Needs the gateway running against the test PACS of scripts/peers.sh with the 2x2x5 sample studies loaded
// (scripts/test.sh does both; npm ci --prefix interop installs the client; the files are read from
// work/samples/2x2x5, or SAMPLES_DIR). The C-MOVE AEs (DCMQRSCP, ORTHANC-MOVE) need the gateway's Storage SCP on the
// port the PACS know (11112). Metadata: every element of the sample's data set, its VR and value (strings, numbers,
// person names, binary numbers) and no other element; Pixel Data as a BulkDataURI whose bytes are the sample's.
// The number of tests is fixed for a given AETS list: 6 per AE (30 for ORTHANC,DCMQRSCP,ORTHANC-MOVE,ORTHANC-WEB,
// S3).
// DicomwebClientIT checks the count, so keep it in step when adding or removing tests.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  AETS, EXPLICIT_VR_LITTLE_ENDIAN, GATEWAY_URL, PIXEL_DATA, SOP_UID, TIMEOUT, assertSameBytes, imageSize,
  rawMultipart, recordingClient, samples, sorted, values,
} from './support.mjs';

const ROWS = '00280010';
const COLUMNS = '00280011';
const PATIENT_NAME = '00100010';

/** VRs whose value is one string, backslashes included (PS3.5 §6.2). */
const SINGLE_STRING_VRS = ['LT', 'ST', 'UT', 'UR'];
const STRING_VRS = ['AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'SH', 'TM', 'UC', 'UI', ...SINGLE_STRING_VRS];
/** Binary numbers: [bytes each, DataView getter]. */
const BINARY_VRS = {
  US: [2, 'getUint16'], SS: [2, 'getInt16'], UL: [4, 'getUint32'], SL: [4, 'getInt32'], FL: [4, 'getFloat32'],
  FD: [8, 'getFloat64'],
};

/** The DICOM JSON Value (PS3.18 Annex F) of one element of a sample file, or undefined when it has none. */
function jsonValue({ tag, vr, bytes }) {
  if (bytes.length === 0) {
    return undefined;
  }
  if (vr in BINARY_VRS) {
    const [size, getter] = BINARY_VRS[vr];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: bytes.length / size }, (_, i) => view[getter](i * size, true));
  }
  const string = Buffer.from(bytes).toString('latin1').replace(/[\0 ]+$/, '');
  if (SINGLE_STRING_VRS.includes(vr)) {
    return [string];
  }
  const strings = string.split('\\').map((s) => s.trim());
  if (vr === 'PN') {
    return strings.map((s) => (s === '' ? null : { Alphabetic: s }));
  }
  if (vr === 'DS' || vr === 'IS') {
    return strings.map((s) => (s === '' ? null : Number(s)));
  }
  assert.ok(STRING_VRS.includes(vr), `${tag}: VR ${vr} of the sample is compared here`);
  return strings.map((s) => (s === '' ? null : s));
}

/**
 * One instance's metadata = the sample file's data set: the same tags, each with the sample's VR and value, numbers
 * compared as numbers; Pixel Data (and any other binary value) as a BulkDataURI on the instance's URL, or other
 * binary values inline.
 */
function assertSameMetadata(metadata, sample, instanceUrl, what) {
  assert.deepEqual(sorted(Object.keys(metadata)), sorted(Object.keys(sample.elements)), `${what}: the elements`);
  for (const element of Object.values(sample.elements)) {
    const attribute = metadata[element.tag];
    assert.equal(attribute.vr, element.vr, `${what}: ${element.tag}: VR`);
    if (element.tag === PIXEL_DATA) {
      assert.deepEqual(attribute, { vr: element.vr, BulkDataURI: `${instanceUrl}/bulkdata/${PIXEL_DATA}` },
        `${what}: Pixel Data by a BulkDataURI`);
    } else if (['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN'].includes(element.vr)) {
      assert.ok(attribute.InlineBinary === Buffer.from(element.bytes).toString('base64')
        || attribute.BulkDataURI?.startsWith(`${instanceUrl}/bulkdata/`), `${what}: ${element.tag}: binary value`);
    } else {
      assert.deepEqual(attribute.Value, jsonValue(element), `${what}: ${element.tag} ${element.vr}: value`);
    }
  }
}

/** The first sample study's instances, with their series UID. */
function instancesOf(study) {
  return study.series.flatMap((series) => series.instances.map((instance) => ({ series: series.uid, ...instance })));
}

for (const aet of AETS) {
  describe(`WADO-RS metadata, bulk data, frames and rendered images of ${aet} through the gateway, with `
    + 'dicomweb-client',
    () => {
      const base = `${GATEWAY_URL}/aets/${aet}`;
      const { call, search } = recordingClient(base);
      /** The first sample study (2 series of 5 instances), as read from its files, and an instance of it. */
      let study;
      let sample;
      let instanceUrl;
      const instanceOptions = () => ({ studyInstanceUID: study.uid, seriesInstanceUID: sample.series,
        sopInstanceUID: sample.sop });

      before(() => {
        [study] = samples();
        sample = instancesOf(study).at(-1);
        instanceUrl = `${base}/studies/${study.uid}/series/${sample.series}/instances/${sample.sop}`;
        assert.ok(sample.pixelData?.length > 0, `${sample.file} has pixel data`);
      });

      test('retrieveStudyMetadata: one object per sample instance, each equal to its file', TIMEOUT, async () => {
        const metadata = await search('retrieveStudyMetadata', { studyInstanceUID: study.uid });
        const instances = instancesOf(study);
        assert.deepEqual(sorted(values(metadata, SOP_UID)), sorted(instances.map((i) => i.sop)),
          `the instances of study ${study.uid}`);
        for (const instance of instances) {
          assertSameMetadata(metadata.find((m) => m[SOP_UID].Value[0] === instance.sop), instance,
            `${base}/studies/${study.uid}/series/${instance.series}/instances/${instance.sop}`,
            `study metadata of ${instance.sop}`);
        }
      });

      test('retrieveSeriesMetadata: the instances of that series only, each equal to its file', TIMEOUT, async () => {
        const series = study.series[1];
        const metadata = await search('retrieveSeriesMetadata',
          { studyInstanceUID: study.uid, seriesInstanceUID: series.uid });
        assert.deepEqual(sorted(values(metadata, SOP_UID)), sorted(series.instances.map((i) => i.sop)),
          `the instances of series ${series.uid}`);
        for (const instance of series.instances) {
          assertSameMetadata(metadata.find((m) => m[SOP_UID].Value[0] === instance.sop), instance,
            `${base}/studies/${study.uid}/series/${series.uid}/instances/${instance.sop}`,
            `series metadata of ${instance.sop}`);
        }
      });

      test('retrieveInstanceMetadata: that instance, equal to its file (PatientName, Rows, Columns...)', TIMEOUT,
        async () => {
          const metadata = await search('retrieveInstanceMetadata', instanceOptions());
          assert.equal(metadata.length, 1, 'one instance');
          const [instance] = metadata;
          // The few a viewer needs first, spelled out; assertSameMetadata checks them all.
          const text = (tag) => Buffer.from(sample.elements[tag].bytes).toString('latin1').trim();
          const us = (tag) => Buffer.from(sample.elements[tag].bytes).readUInt16LE(0);
          assert.deepEqual(instance[PATIENT_NAME].Value, [{ Alphabetic: text(PATIENT_NAME) }], 'PatientName');
          assert.deepEqual([instance[ROWS].Value, instance[COLUMNS].Value], [[us(ROWS)], [us(COLUMNS)]],
            'Rows, Columns');
          assertSameMetadata(instance, sample, instanceUrl, `instance metadata of ${sample.sop}`);
        });

      test('retrieveBulkData of the Pixel Data BulkDataURI: the sample\'s pixel data', TIMEOUT, async () => {
        const [metadata] = await search('retrieveInstanceMetadata', instanceOptions());
        const uri = metadata[PIXEL_DATA].BulkDataURI;
        const { result, exchange } = await call('retrieveBulkData', { BulkDataURI: uri });
        assert.equal(exchange.url, `${instanceUrl}/bulkdata/${PIXEL_DATA}`);
        assert.equal(exchange.request.status, 200, uri);
        const raw = rawMultipart(exchange);
        assert.match(raw.type, /^multipart\/related;.*type="?application\/octet-stream"?/, 'Content-Type');
        assert.ok(raw.closed, 'the multipart body is complete');
        assert.equal(raw.parts, 1, 'one part');
        assert.ok(Array.isArray(result) && result.length === 1, 'dicomweb-client decoded one part');
        assertSameBytes(new Uint8Array(result[0]), sample.pixelData, 'the bulk data');
      });

      test('retrieveInstanceFrames of frame 1 (and 1,1) of a native instance: the sample\'s pixel data', TIMEOUT,
        async () => {
          const { result, exchange } = await call('retrieveInstanceFrames',
            { ...instanceOptions(), frameNumbers: [1] });
          assert.equal(exchange.url, `${instanceUrl}/frames/1`);
          assert.equal(exchange.request.status, 200);
          const raw = rawMultipart(exchange);
          assert.match(raw.type, /^multipart\/related;.*type="?application\/octet-stream"?/, 'Content-Type');
          assert.ok(raw.closed, 'the multipart body is complete');
          assert.equal(raw.parts, 1, 'one part');
          assert.match(raw.headers[0], new RegExp(`Content-Type: application/octet-stream; ?transfer-syntax="?${
            EXPLICIT_VR_LITTLE_ENDIAN.replaceAll('.', '\\.')}"?`, 'i'), 'the part\'s Content-Type');
          assert.ok(Array.isArray(result) && result.length === 1, 'dicomweb-client decoded one frame');
          assertSameBytes(new Uint8Array(result[0]), sample.pixelData, 'frame 1 (the only one)');
          // A frame list naming frame 1 twice: two parts, both that frame.
          const twice = await call('retrieveInstanceFrames', { ...instanceOptions(), frameNumbers: [1, 1] });
          assert.equal(twice.exchange.url, `${instanceUrl}/frames/1,1`);
          assert.equal(rawMultipart(twice.exchange).parts, 2, 'two parts sent');
          assert.equal(twice.result.length, 2, 'dicomweb-client decoded two frames');
          twice.result.forEach((frame, i) => assertSameBytes(new Uint8Array(frame), sample.pixelData,
            `frames 1,1: part ${i + 1}`));
        });

      test('retrieveInstanceRendered (JPEG; PNG), retrieveInstanceFramesRendered and retrieveInstanceThumbnail: '
        + 'images of the frame\'s size, and fitting 128x128', TIMEOUT, async () => {
        const size = () => [ROWS, COLUMNS].map((tag) => Buffer.from(sample.elements[tag].bytes).readUInt16LE(0));
        const [rows, columns] = size();
        const image = async (what, options, type, format) => {
          const { result, exchange } = await call(what, { ...instanceOptions(), ...options });
          assert.equal(exchange.request.status, 200, `${what}: ${exchange.url}`);
          assert.equal(exchange.request.getResponseHeader('Content-Type')?.split(';')[0], type,
            `${what}: Content-Type`);
          assert.ok(Array.isArray(result) && result[0] instanceof ArrayBuffer, `${what}: one ArrayBuffer`);
          const decoded = imageSize(result[0], what);
          assert.equal(decoded.format, format, `${what}: the image format`);
          return { ...decoded, url: exchange.url };
        };
        // Without mediaTypes dicomweb-client sends no Accept: the gateway's default, JPEG.
        const jpeg = await image('retrieveInstanceRendered', {}, 'image/jpeg', 'jpeg');
        assert.equal(jpeg.url, `${instanceUrl}/rendered`);
        assert.deepEqual([jpeg.width, jpeg.height], [columns, rows], 'rendered JPEG: Columns x Rows');
        const png = await image('retrieveInstanceRendered', { mediaTypes: [{ mediaType: 'image/png' }] },
          'image/png', 'png');
        assert.deepEqual([png.width, png.height], [columns, rows], 'rendered PNG: Columns x Rows');
        const frame = await image('retrieveInstanceFramesRendered',
          { frameNumbers: [1], mediaTypes: [{ mediaType: 'image/jpeg' }] }, 'image/jpeg', 'jpeg');
        assert.equal(frame.url, `${instanceUrl}/frames/1/rendered`);
        assert.deepEqual([frame.width, frame.height], [columns, rows], 'rendered frame 1: Columns x Rows');
        const thumbnail = await image('retrieveInstanceThumbnail', {}, 'image/jpeg', 'jpeg');
        assert.equal(thumbnail.url, `${instanceUrl}/thumbnail`);
        const scale = 128 / Math.max(rows, columns);
        assert.deepEqual([thumbnail.width, thumbnail.height], [Math.round(columns * scale), Math.round(rows * scale)],
          'the thumbnail fits 128 x 128, aspect ratio kept');
      });
    });
}
