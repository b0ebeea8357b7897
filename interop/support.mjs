// Shared by the WADO-RS/STOW-RS interop tests (wado-stow.test.mjs, metadata.test.mjs): the environment, a recording
// dicomweb-client, and small readers for DICOM Part 10 files, multipart bodies and image headers, so that what the
// gateway sends can be compared with the sample files byte for byte without any further npm package.
// Not a test file itself (node --test runs only the files it is given).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import XMLHttpRequest from 'xhr2';
import dicomweb from 'dicomweb-client';

// dicomweb-client creates `new XMLHttpRequest()` from the global scope.
globalThis.XMLHttpRequest = XMLHttpRequest;

export const GATEWAY_URL = (process.env.GATEWAY_URL || 'http://127.0.0.1:8080/dicomweb').replace(/\/+$/, '');
export const AETS = (process.env.AETS || 'ORTHANC,DCMQRSCP,ORTHANC-MOVE').split(',').map((aet) => aet.trim())
  .filter(Boolean);
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The sample set scripts/test.sh loads into both test PACS: 2 studies of 2 series of 5 CT instances. */
export const SAMPLES_DIR = process.env.SAMPLES_DIR || path.join(PROJECT_ROOT, 'work/samples/2x2x5');

export const STUDY_UID = '0020000D';
export const SERIES_UID = '0020000E';
export const SOP_UID = '00080018';
export const SOP_CLASS_UID = '00080016';
export const RETRIEVE_URL = '00081190';
export const PIXEL_DATA = '7FE00010';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const TIMEOUT = { timeout: 120_000 };

/**
 * A dicomweb-client for one DICOMweb service that records every request it sends (method, URL, headers as sent,
 * and the XMLHttpRequest), through the client's own request hooks, so tests can see the wire and not only what the
 * client makes of it.
 */
export function recordingClient(url) {
  const sent = [];
  const client = new dicomweb.api.DICOMwebClient({
    url,
    verbose: false, // it would dump the whole XMLHttpRequest on every 204
    requestHooks: [
      (request, metadata) => {
        sent.push({ method: metadata.method.toUpperCase(), url: metadata.url, headers: metadata.headers, request });
        return request;
      },
    ],
  });
  /**
   * Runs one client call, which must send one request; returns what the client resolved with and that exchange.
   * A failed request becomes an assertion error naming the request, status and body.
   */
  const call = async (what, options = {}) => {
    const count = sent.length;
    try {
      const result = await client[what](options);
      assert.equal(sent.length, count + 1, `${what} sent one request`);
      return { result, exchange: sent.at(-1) };
    } catch (error) {
      if (error.request) {
        const exchange = sent.at(-1);
        const outcome = error.status ? `HTTP ${error.status} ${text(error.response)}`
          : 'no HTTP response (connection failed)';
        throw new assert.AssertionError({
          message: `${what}: ${exchange?.method} ${exchange?.url} ${JSON.stringify(exchange?.headers)} -> ${outcome}`,
        });
      }
      throw error;
    }
  };
  /** A QIDO search or a metadata request: a JSON array. */
  const search = async (what, options) => {
    const { result, exchange } = await call(what, options);
    assert.ok(Array.isArray(result),
      `${what}: GET ${exchange.url} -> ${exchange.request.status}: not a JSON array: ${JSON.stringify(result)}`);
    return result;
  };
  return { call, search, last: () => sent.at(-1), sent };
}

/** A response body as text, for messages: a string as it is, an ArrayBuffer decoded, the first 2000 characters. */
export function text(body) {
  if (body instanceof ArrayBuffer) {
    return new TextDecoder().decode(body.slice(0, 2000));
  }
  return typeof body === 'string' ? body.slice(0, 2000) : JSON.stringify(body);
}

/** The first value of an attribute; undefined if absent. */
export function value(dataset, tag) {
  return dataset?.[tag]?.Value?.[0];
}

export function values(datasets, tag) {
  return datasets.map((dataset) => value(dataset, tag));
}

export function sorted(list) {
  return [...list].sort();
}

/** An ArrayBuffer of its own holding these bytes, as a browser's File.arrayBuffer() would give. */
export function arrayBuffer(bytes) {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/** VRs with a 2-byte reserved field and a 4-byte length in Explicit VR Little Endian. */
const LONG_VRS = ['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'];

/**
 * The elements of an Explicit VR Little Endian byte run without sequences or undefined lengths (the File Meta
 * Information, and the data sets of the samples and of GenerateStudies): [{tag 'GGGGEEEE', vr, bytes}] in order.
 */
export function elements(bytes, what) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (from, length) => String.fromCharCode(...bytes.subarray(from, from + length));
  const list = [];
  for (let offset = 0; offset < bytes.length;) {
    const tag = (view.getUint16(offset, true).toString(16).padStart(4, '0')
      + view.getUint16(offset + 2, true).toString(16).padStart(4, '0')).toUpperCase();
    const vr = ascii(offset + 4, 2);
    const [length, start] = LONG_VRS.includes(vr) ? [view.getUint32(offset + 8, true), offset + 12]
      : [view.getUint16(offset + 6, true), offset + 8];
    assert.ok(vr !== 'SQ' && length !== 0xFFFFFFFF && start + length <= bytes.length,
      `${what}: ${tag} ${vr} of length ${length} at ${offset}: only flat Explicit VR Little Endian is read here`);
    list.push({ tag, vr, bytes: bytes.subarray(start, start + length) });
    offset = start + length;
  }
  return list;
}

/**
 * A DICOM Part 10 file: checks the 128-byte preamble + 'DICM' prefix and the File Meta Information group (Explicit
 * VR Little Endian, led by its group length), returns the meta's SOP Class, SOP Instance and Transfer Syntax UIDs and
 * the bytes of the data set that follows the meta group.
 */
export function part10(buffer, what) {
  assert.ok(buffer instanceof ArrayBuffer, `${what} is an ArrayBuffer, not ${Object.prototype.toString.call(buffer)}`);
  const bytes = new Uint8Array(buffer);
  assert.ok(bytes.length > 144, `${what}: ${bytes.length} bytes, too short for DICOM Part 10`);
  assert.equal(String.fromCharCode(...bytes.subarray(128, 132)), 'DICM', `${what}: bytes 128..131 are DICM`);
  const view = new DataView(buffer);
  assert.deepEqual([view.getUint16(132, true), view.getUint16(134, true),
    String.fromCharCode(...bytes.subarray(136, 138))], [2, 0, 'UL'],
    `${what}: the meta group starts with its group length (0002,0000) UL`);
  const end = 144 + view.getUint32(140, true);
  assert.ok(end <= bytes.length, `${what}: meta group length ${end - 144} within the ${bytes.length} bytes`);
  const meta = {};
  for (const element of elements(bytes.subarray(132, end), `${what}, meta`)) {
    assert.ok(element.tag.startsWith('0002'), `${what}: meta element ${element.tag} is of group 0002`);
    meta[element.tag] = String.fromCharCode(...element.bytes).replace(/[\0 ]+$/, '');
  }
  return {
    sopClass: meta['00020002'], sop: meta['00020003'], transferSyntax: meta['00020010'], dataSet: bytes.subarray(end),
  };
}

/**
 * The sample files of SAMPLES_DIR ({study}/{series}/{sop}.dcm): the studies in UID order, each with its series in
 * UID order, each with its instances: the file's bytes, its Part 10 summary, its data set's elements by tag, and its
 * pixel data (the value of 7FE0,0010, the samples' last element).
 */
export function samples() {
  const list = (dir) => readdirSync(dir).filter((name) => !name.startsWith('.')).sort();
  assert.ok(list(SAMPLES_DIR).length > 0, `sample studies in ${SAMPLES_DIR} (scripts/samples.sh makes them)`);
  return list(SAMPLES_DIR).map((study) => ({
    uid: study,
    series: list(path.join(SAMPLES_DIR, study)).map((series) => ({
      uid: series,
      instances: list(path.join(SAMPLES_DIR, study, series)).map((name) => {
        const file = path.join(SAMPLES_DIR, study, series, name);
        const bytes = readFileSync(file);
        const summary = part10(arrayBuffer(bytes), file);
        assert.equal(summary.transferSyntax, EXPLICIT_VR_LITTLE_ENDIAN, `${file}: transfer syntax`);
        const byTag = Object.fromEntries(elements(summary.dataSet, file).map((e) => [e.tag, e]));
        assert.equal(summary.sop, name.replace(/\.dcm$/, ''), `${file}: named by its SOP Instance UID`);
        return { file, bytes, ...summary, elements: byTag, pixelData: byTag[PIXEL_DATA]?.bytes };
      }),
    })),
  }));
}

/**
 * The parts of a multipart/related response body as the gateway sent it, counted independently of dicomweb-client
 * (whose retrieveInstance keeps only the first part, and which drops a last part that has no closing delimiter
 * after it): the Content-Type, the number of body parts, whether the body has its closing delimiter, and the parts'
 * header blocks.
 */
export function rawMultipart(exchange) {
  const type = exchange.request.getResponseHeader('Content-Type') ?? '';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  assert.ok(boundary, `a boundary in Content-Type: ${type}`);
  const body = Buffer.from(exchange.request.response);
  const delimiter = Buffer.from(`--${boundary}`);
  let parts = 0;
  let closed = false;
  const headers = [];
  for (let at = body.indexOf(delimiter); at !== -1; at = body.indexOf(delimiter, at + delimiter.length)) {
    if (at !== 0 && body.toString('latin1', at - 2, at) !== '\r\n') {
      continue;
    }
    if (body.toString('latin1', at + delimiter.length, at + delimiter.length + 2) === '--') {
      closed = true;
      break;
    }
    parts += 1;
    const end = body.indexOf('\r\n\r\n', at);
    headers.push(body.toString('latin1', at + delimiter.length + 2, end));
  }
  return { type, parts, closed, headers };
}

/** Buffers compared without printing them: a mismatch names the lengths and the first differing byte. */
export function assertSameBytes(actual, expected, what) {
  const [a, e] = [Buffer.from(actual.buffer ?? actual, actual.byteOffset ?? 0, actual.byteLength),
    Buffer.from(expected.buffer ?? expected, expected.byteOffset ?? 0, expected.byteLength)];
  if (!a.equals(e)) {
    let i = 0;
    while (i < a.length && i < e.length && a[i] === e[i]) {
      i += 1;
    }
    assert.fail(`${what}: ${a.length} bytes, expected ${e.length}; first difference at byte ${i}`);
  }
}

/**
 * The pixel size of a JPEG (from its first SOFn marker) or PNG (from IHDR) image, with its format; fails on anything
 * else.
 */
export function imageSize(buffer, what) {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  if (bytes[0] === 0x89 && String.fromCharCode(...bytes.subarray(1, 4)) === 'PNG') {
    assert.equal(String.fromCharCode(...bytes.subarray(12, 16)), 'IHDR', `${what}: PNG starts with IHDR`);
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  assert.deepEqual([bytes[0], bytes[1]], [0xFF, 0xD8], `${what}: a JPEG (SOI) or PNG signature`);
  for (let at = 2; at + 9 < bytes.length;) {
    assert.equal(bytes[at], 0xFF, `${what}: a JPEG marker at ${at}`);
    const marker = bytes[at + 1];
    if (marker >= 0xC0 && marker <= 0xCF && ![0xC4, 0xC8, 0xCC].includes(marker)) {
      return { format: 'jpeg', height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    at += 2 + view.getUint16(at + 2);
  }
  return assert.fail(`${what}: no SOF marker in the JPEG`);
}
