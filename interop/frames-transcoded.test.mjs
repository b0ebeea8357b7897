// Frames of a JPEG Lossless study read as native pixels by npm dicomweb-client (the DICOMweb client of OHIF), which
// nobody on this project wrote, in Node with xhr2 as its XMLHttpRequest: what OHIF does when it shows a study its
// browser cannot decode. The gateway decodes each frame as it writes it (docs/conformance.md, "WADO-RS frames").
//
//   GATEWAY_URL=http://127.0.0.1:8080/dicomweb AETS=ORTHANC,S3 node --test interop/frames-transcoded.test.mjs
//
// Needs the study of scripts/codec-samples.sh, work/samples/codecs/jpeg-lossless-500 (the 500 CT slices of
// work/samples/1x1x500 as JPEG Lossless SV1, with UIDs of their own), stored into each AE (DicomwebClientIT does,
// through STOW-RS). (At ORTHANC the frames reach the gateway already decompressed: Orthanc's C-GET sends JPEG
// Lossless decompressed; at S3 the gateway decodes them.) Each frame is compared byte for byte with the pixel data of
// its native source, the file of the same name in work/samples/1x1x500. The number of tests is fixed: 2 per AE (4 for
// ORTHANC,S3); DicomwebClientIT checks the count, so keep it in step when adding or removing tests.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
  AETS, EXPLICIT_VR_LITTLE_ENDIAN, GATEWAY_URL, PIXEL_DATA, PROJECT_ROOT, SERIES_UID, SOP_UID, STUDY_UID, TIMEOUT,
  arrayBuffer, assertSameBytes, elements, part10, rawMultipart, recordingClient,
} from './support.mjs';

const COMPRESSED_DIR = path.join(PROJECT_ROOT, 'work/samples/codecs/jpeg-lossless-500');
const NATIVE_DIR = path.join(PROJECT_ROOT, 'work/samples/1x1x500');
const JPEG_LOSSLESS_SV1 = '1.2.840.10008.1.2.4.70';
/** The instances whose frames are read: the first, two in the middle and the last of the 500 files by name. */
const PICKED = [0, 249, 250, 499];

/** The elements of a data set before its Pixel Data (encapsulated pixel data is not flat: it is not parsed). */
function headerElements(dataSet, what) {
  const pixelData = Buffer.from(dataSet.buffer, dataSet.byteOffset, dataSet.byteLength)
    .indexOf(Buffer.from([0xE0, 0x7F, 0x10, 0x00]));
  const flat = pixelData < 0 ? dataSet : dataSet.subarray(0, pixelData);
  return Object.fromEntries(elements(flat, what).map((e) => [e.tag, String.fromCharCode(...e.bytes)
    .replace(/[\0 ]+$/, '')]));
}

/** The compressed study's files by name: their UIDs, and their native source's pixel data. */
function study() {
  const names = readdirSync(COMPRESSED_DIR).filter((n) => n.endsWith('.dcm')).sort();
  assert.equal(names.length, 500, `${COMPRESSED_DIR}: 500 files (scripts/codec-samples.sh makes them)`);
  const nativeFiles = new Map();
  for (const studyDir of readdirSync(NATIVE_DIR)) {
    for (const series of readdirSync(path.join(NATIVE_DIR, studyDir))) {
      for (const name of readdirSync(path.join(NATIVE_DIR, studyDir, series))) {
        nativeFiles.set(name, path.join(NATIVE_DIR, studyDir, series, name));
      }
    }
  }
  return names.map((name) => {
    const file = path.join(COMPRESSED_DIR, name);
    const summary = part10(arrayBuffer(readFileSync(file)), file);
    assert.equal(summary.transferSyntax, JPEG_LOSSLESS_SV1, `${file}: transfer syntax`);
    const header = headerElements(summary.dataSet, file);
    const source = part10(arrayBuffer(readFileSync(nativeFiles.get(name))), nativeFiles.get(name));
    const pixelData = elements(source.dataSet, name).find((e) => e.tag === PIXEL_DATA).bytes;
    return { name, study: header[STUDY_UID], series: header[SERIES_UID], sop: header[SOP_UID], pixelData };
  });
}

for (const aet of AETS) {
  describe(`frames of a JPEG Lossless study at ${aet}, as native pixels with dicomweb-client`, () => {
    const { call, search } = recordingClient(`${GATEWAY_URL}/aets/${aet}`);
    let instances;
    before(() => {
      instances = study();
    });

    test('searchForInstances finds the study\'s 500 instances', TIMEOUT, async () => {
      const found = await search('searchForInstances', { studyInstanceUID: instances[0].study });
      assert.equal(found.length, 500, 'instances found');
      assert.deepEqual(found.map((i) => i[SOP_UID].Value[0]).sort(), instances.map((i) => i.sop).sort());
    });

    test('retrieveInstanceFrames (no media type: OHIF\'s default) gives each frame decoded, byte for byte the '
      + 'native source\'s pixel data', TIMEOUT, async () => {
      for (const i of PICKED) {
        const instance = instances[i];
        const { result, exchange } = await call('retrieveInstanceFrames', {
          studyInstanceUID: instance.study, seriesInstanceUID: instance.series, sopInstanceUID: instance.sop,
          frameNumbers: [1],
        });
        assert.equal(exchange.request.status, 200, `${instance.name}: ${exchange.url}`);
        assert.match(exchange.headers.Accept, /^multipart\/related; ?type="?application\/octet-stream"?$/,
          'what dicomweb-client accepts by default');
        const raw = rawMultipart(exchange);
        assert.ok(raw.closed && raw.parts === 1, `${instance.name}: one part, the body complete`);
        assert.match(raw.headers[0], new RegExp(`Content-Type: application/octet-stream; ?transfer-syntax="?${
          EXPLICIT_VR_LITTLE_ENDIAN.replaceAll('.', '\\.')}"?`, 'i'), `${instance.name}: the part's Content-Type`);
        assert.equal(result.length, 1, 'dicomweb-client decoded one frame');
        assertSameBytes(new Uint8Array(result[0]), instance.pixelData, `${instance.name}: frame 1`);
      }
    });
  });
}
