// crackstop demo: the global fetch against a flaky HTTP server, through
// pipeline(retry, timeout), reported from the telemetry events.
//
//   npm run demo          (builds dist/, then runs this file)
//
// The server (node:http on 127.0.0.1, random port) answers each (request, attempt) from a seeded
// script: fast 200, slow 200, 503, 503 with Retry-After, a 200 after the deadline, or no answer at
// all. The script and the backoff have no randomness left, so the report is the same on every run
// (apart from the total time).
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import { createEventHub, exponentialBackoff, isTimeoutError, pipeline, retry, timeout } from '../dist/index.js';
import { seededRandom } from '../dist/testing.js';

const REQUESTS = 20;
const CONCURRENCY = 5;
const TIMEOUT_MS = 300;
const MAX_ATTEMPTS = 3;
const SEED = 6;

// A guard: the demo must end by itself; if it ever does not, fail loudly instead of hanging.
setTimeout(() => {
  console.error('demo: still running after 15 s; giving up');
  process.exit(1);
}, 15_000).unref();

// ---------------------------------------------------------------------------------------------
// The flaky server.

/** What the server does, with the weight of each behaviour. */
const behaviours = [
  ['ok', 0.44], // 200 at once
  ['slow', 0.14], // 200 after 120 ms (within the deadline)
  ['busy', 0.16], // 503
  ['busy-retry-after', 0.06], // 503, Retry-After: 1
  ['busy-retry-later', 0.03], // 503, Retry-After: 120 (the retry caps it at the backoff's maxMs)
  ['too-slow', 0.07], // 200 after 700 ms (past the deadline)
  ['hang', 0.1], // never answers
];

/** The script: plan[id - 1][attempt - 1], drawn once from a seeded generator. */
const random = seededRandom(SEED);
const plan = Array.from({ length: REQUESTS }, () =>
  Array.from({ length: MAX_ATTEMPTS }, () => {
    let r = random();
    for (const [name, weight] of behaviours) {
      if (r < weight) return name;
      r -= weight;
    }
    return 'ok';
  }),
);

const served = new Map();

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const id = Number(url.searchParams.get('id'));
  const attempt = Number(url.searchParams.get('attempt'));
  const behaviour = plan[id - 1]?.[attempt - 1] ?? 'ok';
  served.set(behaviour, (served.get(behaviour) ?? 0) + 1);
  const reply = (status, headers = {}) => {
    if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(`item ${id}\n`);
  };
  const later = (ms, status) => {
    const timer = setTimeout(() => reply(status), ms);
    res.on('close', () => clearTimeout(timer)); // the client gave up: no reply, no timer left
  };
  switch (behaviour) {
    case 'ok':
      return reply(200);
    case 'slow':
      return later(120, 200);
    case 'busy':
      return reply(503);
    case 'busy-retry-after':
      return reply(503, { 'retry-after': '1' });
    case 'busy-retry-later':
      return reply(503, { 'retry-after': '120' });
    case 'too-slow':
      return later(700, 200);
    default:
      return; // 'hang': keep the socket open and never answer
  }
});

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------------------------------------
// The client: one policy for every request, one event hub for every policy.

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or invalid. */
function parseRetryAfter(value) {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - Date.now();
}

const events = createEventHub();

const policy = pipeline(
  retry({
    name: 'catalog.retry',
    events,
    maxAttempts: MAX_ATTEMPTS,
    // jitter 'none' keeps this report identical from run to run; in production keep the default
    // full jitter, so that clients that failed together do not retry together.
    backoff: exponentialBackoff({ initialMs: 100, maxMs: 1_000, jitter: 'none' }),
    // Retry 503 responses and every error (timeouts and network errors alike).
    shouldRetry: (outcome) => (outcome.ok ? outcome.value.status === 503 : true),
    // Wait as long as the server asks (capped at the backoff's maxMs), else back off.
    retryAfterMs: (outcome) => (outcome.ok ? parseRetryAfter(outcome.value.retryAfter) : undefined),
  }),
  timeout({ name: 'catalog.timeout', events, ms: TIMEOUT_MS }),
);

/** One attempt: the deadline covers the whole exchange, body included. */
async function getItem(id, { signal, attempt }) {
  const response = await fetch(`${base}/item?id=${id}&attempt=${attempt}`, { signal });
  const body = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

// Events carry the policy's name, not the request's. Listeners run synchronously inside the call
// that emits, so an AsyncLocalStorage tells which request an event belongs to.
const currentRequest = new AsyncLocalStorage();
const allEvents = [];
events.onAny((event) => {
  allEvents.push(event);
  currentRequest.getStore()?.events.push(event);
});

// ---------------------------------------------------------------------------------------------
// Run REQUESTS requests, CONCURRENCY at a time.

const records = Array.from({ length: REQUESTS }, (_, i) => ({ id: i + 1, events: [], result: undefined, error: undefined }));
const started = performance.now();
let next = 0;
async function worker() {
  while (next < records.length) {
    const record = records[next++];
    try {
      record.result = await currentRequest.run(record, () => policy.execute((ctx) => getItem(record.id, ctx)));
    } catch (error) {
      record.error = error;
    }
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const elapsed = performance.now() - started;

await new Promise((resolve) => {
  server.close(resolve);
  server.closeAllConnections(); // including the sockets of requests that hung
});

// ---------------------------------------------------------------------------------------------
// The report, built from the events.

function describeOutcome(outcome) {
  if (outcome.ok) {
    const { status, retryAfter } = outcome.value;
    return retryAfter === null ? `${status}` : `${status} Retry-After: ${retryAfter}`;
  }
  if (isTimeoutError(outcome.error)) return `timed out at ${outcome.error.timeoutMs} ms`;
  return `${outcome.error?.name ?? 'error'}: ${outcome.error?.message ?? String(outcome.error)}`;
}

function describeRequest(record) {
  const steps = [];
  let attempts = 1;
  for (const event of record.events) {
    if (event.type === 'retry') {
      const asked = event.outcome.ok ? parseRetryAfter(event.outcome.value.retryAfter) : undefined;
      const capped = asked !== undefined && asked > event.delayMs ? ' (capped at the backoff maxMs)' : '';
      steps.push(`${describeOutcome(event.outcome)} -> wait ${Math.round(event.delayMs)} ms${capped}`);
      attempts = event.attempt + 1;
    } else if (event.type === 'retry.giveup') {
      steps.push(`${describeOutcome(event.outcome)} -> give up (${event.reason})`);
      attempts = event.attempts;
    }
  }
  const ok = record.result?.status === 200;
  if (ok && attempts > 1) steps.push('200');
  const failure = record.result !== undefined ? `${record.result.status}` : record.error?.name;
  const result = ok ? '200 OK' : `${failure} (gave up)`;
  return { ok, attempts, line: `#${String(record.id).padStart(2, '0')}  ${result.padEnd(23)}${String(attempts).padStart(2)}   ${steps.join('; ')}`.trimEnd() };
}

const count = (type) => allEvents.filter((e) => e.type === type);
const retries = count('retry');
const timeouts = count('timeout');
const lates = count('timeout.late');
const giveups = count('retry.giveup');
const waited = retries.reduce((sum, e) => sum + e.delayMs, 0);

console.log(`crackstop demo: ${REQUESTS} GETs to a flaky server at ${base}, ${CONCURRENCY} at a time`);
console.log(`policy: pipeline(retry({ maxAttempts: ${MAX_ATTEMPTS}, backoff 100 ms x 2^n up to 1 s, 503s and errors retried, Retry-After honoured }), timeout({ ms: ${TIMEOUT_MS} }))`);
console.log('');
console.log(`req  result                 attempts  what happened`);
let succeeded = 0;
let attemptsTotal = 0;
for (const record of records) {
  const { ok, attempts, line } = describeRequest(record);
  if (ok) succeeded++;
  attemptsTotal += attempts;
  console.log(line);
}
const lateAborted = lates.filter((e) => e.outcome === 'rejected' && isTimeoutError(e.error)).length;
const byReason = new Map();
for (const e of giveups) byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + 1);
const reasons = [...byReason].map(([reason, n]) => `${n} ${reason}`);
console.log('');
console.log(`server:    ${[...served.values()].reduce((a, b) => a + b, 0)} requests seen: ${behaviours.map(([name]) => `${served.get(name) ?? 0} ${name}`).join(', ')}`);
console.log(`attempts:  ${attemptsTotal} in all; ${retries.length} retries waited ${(waited / 1000).toFixed(1)} s in all ('retry' events)`);
console.log(`timeouts:  ${timeouts.length} attempts given up at ${TIMEOUT_MS} ms ('timeout' events); ${lates.length} abandoned fetches settled later, ${lateAborted} rejected with the TimeoutError as abort reason ('timeout.late' events)`);
console.log(`outcome:   ${succeeded} succeeded, ${REQUESTS - succeeded} failed${giveups.length > 0 ? ` ('retry.giveup' events: ${reasons.join(', ')})` : ''}`);
console.log(`total:     ${(elapsed / 1000).toFixed(1)} s`);
