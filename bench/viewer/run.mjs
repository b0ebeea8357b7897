// One run of the viewer benchmark (bench/viewer.sh): serves the OHIF Viewer's pre-built dist/ and a reverse proxy of
// one DICOMweb root from a single origin, opens the viewer on one study in headless Chromium, and prints one JSON line:
// the time from navigation start to the first drawn image, to the last frame answered, and what the proxy saw.
//
//   node run.mjs --dist DIR --target URL --study UID --frames N --chromium PATH [--first-image-timeout-s 60]
//                [--all-frames-timeout-s 180] [--pidfile FILE] [--screenshot FILE.png (at the first drawn image)]
//
// The proxy is the same code for every target (so a comparison measures the targets, not the proxies): bodies are
// streamed both ways (piped, never buffered), one keep-alive agent towards the target, every request timed from its
// arrival to the last byte of its answer handed to the socket.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';

const args = parseArgs(process.argv.slice(2));
const dist = path.resolve(need('dist'));
const target = new URL(need('target').replace(/\/?$/, '/'));
const studyUid = need('study');
const framesExpected = Number(need('frames'));
const firstImageTimeoutMs = 1000 * Number(args['first-image-timeout-s'] ?? 60);
const allFramesTimeoutMs = 1000 * Number(args['all-frames-timeout-s'] ?? 180);
const PROXY_PREFIX = '/dicomweb/';

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i += 2) {
    if (!list[i].startsWith('--') || list[i + 1] === undefined) fail(`bad argument ${list[i]} (see the header of run.mjs)`);
    out[list[i].slice(2)] = list[i + 1];
  }
  return out;
}
function need(name) {
  return args[name] ?? fail(`--${name} is required`);
}
function fail(message) {
  console.error(`viewer run.mjs: ${message}`);
  process.exit(2);
}
/** Wall-clock milliseconds with sub-millisecond resolution, comparable with the page's performance.timeOrigin. */
const nowMs = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------------------------
// The server: OHIF's dist/ (our app-config.js in place of its own) and the DICOMweb reverse proxy.
const exchanges = []; // one per proxied request: { url, status, start, end, aborted, bytes }
const upstreamAgent = new http.Agent({ keepAlive: true });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te',
  'trailer', 'proxy-authorization', 'proxy-authenticate', 'host']);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.map': 'application/json',
  '.jsonc': 'application/json', '.webapp': 'application/x-web-app-manifest+json', '.xml': 'application/xml' };

function appConfig(origin) {
  const root = origin + PROXY_PREFIX.replace(/\/$/, '');
  return `window.config = ${JSON.stringify({
    routerBasename: '/',
    extensions: [],
    modes: [],
    customizationService: {},
    showStudyList: true,
    maxNumberOfWebWorkers: 3,
    showWarningMessageForCrossOrigin: false,
    showCPUFallbackMessage: true,
    showLoadingIndicator: true,
    strictZSpacingForVolumeViewport: true,
    defaultDataSourceName: 'dicomweb',
    investigationalUseDialog: { option: 'never' },
    dataSources: [{
      namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
      sourceName: 'dicomweb',
      configuration: {
        friendlyName: 'viewer benchmark target',
        name: 'dicomweb',
        wadoUriRoot: root,
        qidoRoot: root,
        wadoRoot: root,
        qidoSupportsIncludeField: true,
        supportsReject: false,
        imageRendering: 'wadors',
        thumbnailRendering: 'wadors',
        enableStudyLazyLoad: true,
        supportsFuzzyMatching: false,
        supportsWildcard: true,
        staticWado: false,
        singlepart: 'bulkdata,video',
        bulkDataURI: { enabled: true },
        omitQuotationForMultipartRequest: true,
      },
    }],
  }, null, 1)};\n`;
}

function proxy(req, res) {
  const exchange = { url: req.url, status: 0, start: nowMs(), end: 0, aborted: false, bytes: 0 };
  exchanges.push(exchange);
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && name !== 'origin' && name !== 'referer') headers[name] = value;
  }
  const upstreamUrl = new URL(req.url.slice(PROXY_PREFIX.length), target);
  const upstream = http.request(upstreamUrl, { method: req.method, headers, agent: upstreamAgent }, (answer) => {
    exchange.status = answer.statusCode;
    const out = {};
    for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name)) out[name] = value;
    res.writeHead(answer.statusCode, out);
    answer.on('data', (chunk) => { exchange.bytes += chunk.length; });
    answer.pipe(res);
  });
  upstream.on('error', (e) => {
    exchange.error = e.message;
    if (!res.headersSent) { exchange.status = 502; res.writeHead(502, { 'content-type': 'text/plain' }); }
    res.end(`proxy: ${e.message}`);
  });
  res.on('finish', () => { exchange.end = nowMs(); });
  res.on('close', () => {
    if (!res.writableFinished) { exchange.aborted = true; exchange.end = nowMs(); upstream.destroy(); }
  });
  req.pipe(upstream);
}

function serveFile(req, res, origin) {
  const pathname = decodeURIComponent(new URL(req.url, origin).pathname);
  if (pathname === '/app-config.js') {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(appConfig(origin));
    return;
  }
  let file = path.join(dist, path.normalize(pathname));
  if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
  // The viewer's own routes (/viewer, /) are the single-page app: index.html.
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(dist, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': fs.statSync(file).size });
  fs.createReadStream(file).pipe(res);
}

const server = http.createServer((req, res) => {
  const origin = `http://${req.headers.host}`;
  if (req.url.startsWith(PROXY_PREFIX)) proxy(req, res);
  else serveFile(req, res, origin);
});
server.keepAliveTimeout = 30_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------------------------------------------------------
// The browser.
let browser;
async function shutdown(code) {
  try { if (browser) await browser.close(); } catch { /* already gone */ }
  server.closeAllConnections();
  server.close();
  upstreamAgent.destroy();
  process.exit(code);
}
process.on('SIGTERM', () => shutdown(143));
process.on('SIGINT', () => shutdown(130));

// Before any of the app's code: the guided tour marked as shown (OHIF's 'shownTours'), and the first drawn image
// watched. cornerstone3D dispatches its events on the viewport element without bubbling; a capturing listener on
// window sees them on the way down. The signal "image drawn" is the first CORNERSTONE_IMAGE_RENDERED on a viewport
// element that has had a CORNERSTONE_STACK_NEW_IMAGE (an image set into it), whose canvas then holds pixels that are
// not background (black): the canvas is read once per such render until it does.
function pageInit() {
  localStorage.setItem('shownTours', JSON.stringify(['basicViewerTour']));
  const bench = { stackNewImage: null, firstRendered: null, firstDrawn: null, renders: 0 };
  window.__viewerBench = bench;
  const withImage = new WeakSet();
  window.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', (e) => {
    withImage.add(e.target);
    if (bench.stackNewImage === null) bench.stackNewImage = performance.now();
  }, true);
  window.addEventListener('CORNERSTONE_IMAGE_RENDERED', (e) => {
    bench.renders++;
    if (bench.firstDrawn !== null || !withImage.has(e.target)) return;
    const t = performance.now();
    if (bench.firstRendered === null) bench.firstRendered = t;
    const canvas = e.target.querySelector('canvas');
    if (!canvas || !canvas.width || !canvas.height) return;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let lit = 0;
    for (let i = 0; i < pixels.length; i += 4 * 7) if (pixels[i] + pixels[i + 1] + pixels[i + 2] > 30) lit++;
    if (lit > 100) { bench.firstDrawn = t; bench.litSamples = lit; }
  }, true);
}

const framesOf = () => exchanges.filter((x) => x.url.includes('/frames/'));
const result = { target: target.href, study: studyUid, framesExpected };
try {
  browser = await chromium.launch({
    executablePath: need('chromium'),
    headless: true,
    // Software WebGL (SwiftShader through ANGLE): no GPU on the machine; without it cornerstone3D falls back to CPU.
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
      '--disable-dev-shm-usage'],
  });
  if (args.pidfile && browser.process?.()) fs.writeFileSync(args.pidfile, `${browser.process().pid}\n`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await context.addInitScript(pageInit);
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error' && consoleErrors.length < 5) consoleErrors.push(m.text().slice(0, 200)); });
  page.on('pageerror', (e) => { if (consoleErrors.length < 5) consoleErrors.push(String(e).slice(0, 200)); });

  await page.goto(`${origin}/viewer?StudyInstanceUIDs=${encodeURIComponent(studyUid)}`,
    { waitUntil: 'commit', timeout: firstImageTimeoutMs });
  const firstImageDeadline = Date.now() + firstImageTimeoutMs;
  let bench;
  for (;;) {
    bench = await page.evaluate(() => window.__viewerBench);
    if (bench?.firstDrawn != null || Date.now() > firstImageDeadline) break;
    await page.waitForTimeout(20);
  }
  if (args.screenshot) await page.screenshot({ path: args.screenshot });
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  result.webgl = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
    return gl ? (info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : 'webgl2') : 'none';
  });
  result.firstImageS = bench?.firstDrawn != null ? bench.firstDrawn / 1000 : null;
  result.firstRenderedS = bench?.firstRendered != null ? bench.firstRendered / 1000 : null;
  if (result.firstImageS === null) result.failure = `no image drawn within ${firstImageTimeoutMs / 1000} s`;

  const framesDeadline = Date.now() + allFramesTimeoutMs;
  while (framesOf().filter((x) => x.end).length < framesExpected && Date.now() < framesDeadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const frames = framesOf().filter((x) => x.end);
  result.framesAnswered = frames.length;
  result.framesDistinct = new Set(frames.map((x) => x.url)).size;
  if (frames.length >= framesExpected) {
    result.allFramesS = (Math.max(...frames.map((x) => x.end)) - timeOrigin) / 1000;
  } else {
    result.allFramesS = null;
    result.failure ??= `${frames.length} of ${framesExpected} frames answered within ${allFramesTimeoutMs / 1000} s`;
  }
  // Requests still under way (thumbnails, prefetch) get a moment to end, so that their answers are counted.
  const settle = Date.now() + 2000;
  while (exchanges.some((x) => !x.end) && Date.now() < settle) await new Promise((r) => setTimeout(r, 50));
  const kinds = { studies: 0, series: 0, metadata: 0, frames: 0, other: 0 };
  for (const x of exchanges) {
    const p = x.url.split('?')[0];
    if (p.includes('/frames/')) kinds.frames++;
    else if (p.endsWith('/metadata')) kinds.metadata++;
    else if (p.endsWith('/series')) kinds.series++;
    else if (p.endsWith('/studies')) kinds.studies++;
    else kinds.other++;
  }
  result.requests = exchanges.length;
  result.kinds = kinds;
  result.firstRequestS = exchanges.length ? (Math.min(...exchanges.map((x) => x.start)) - timeOrigin) / 1000 : null;
  const firstFrame = framesOf().filter((x) => x.end).sort((a, b) => a.end - b.end)[0];
  result.firstFrameS = firstFrame ? (firstFrame.end - timeOrigin) / 1000 : null;
  const metadata = exchanges.filter((x) => x.url.split('?')[0].endsWith('/metadata') && x.end);
  result.metadataS = metadata.length ? (Math.max(...metadata.map((x) => x.end)) - timeOrigin) / 1000 : null;
  // The requests before the frames, each as [start s, end s, status, what]: where the time to the first image went.
  // "what" is the path (UIDs as {study}, {series}) and the query's matching keys (not limit, offset, includefield...).
  const what = (url) => {
    const u = new URL(url, origin);
    const keys = [...u.searchParams.keys()].filter((k) => !['limit', 'offset', 'fuzzymatching', 'includefield'].includes(k));
    return u.pathname.slice(PROXY_PREFIX.length).replace(studyUid, '{study}').replace(/series\/[0-9.]+/, 'series/{series}')
      + (keys.length ? `?${keys.join('&')}` : '');
  };
  result.before = exchanges.filter((x) => !x.url.includes('/frames/')).map((x) => [
    +((x.start - timeOrigin) / 1000).toFixed(3), +((x.end - timeOrigin) / 1000).toFixed(3), x.status, what(x.url)]);
  result.bytes = exchanges.reduce((n, x) => n + x.bytes, 0);
  result.errors = exchanges.filter((x) => x.aborted || x.error || x.status < 200 || x.status > 299)
    .map((x) => `${x.status || (x.aborted ? 'aborted' : 'no answer')} ${x.url.slice(0, 160)}${x.error ? ` (${x.error})` : ''}`);
  result.unfinished = exchanges.filter((x) => !x.end).length;
  result.consoleErrors = consoleErrors;
} catch (e) {
  result.failure = String(e?.message ?? e).split('\n')[0];
}
process.stdout.write(`${JSON.stringify(result)}\n`);
await shutdown(result.failure ? 1 : 0);
