import { createServer } from 'node:http';
import { healthCheck, isLoadShedError, loadShedder } from '../../src/index.js';

const shedder = loadShedder({ name: 'http', maxInFlight: 200, retryAfterMs: 5_000 });

// The health check reads the shedder's pressure, waits for its inFlight during a drain, and calls
// its drain() once the grace period is over.
export const health = healthCheck({ serviceId: 'search' }).addShedder('admission', shedder);

export const server = createServer((req, res) => {
  shedder.execute(() => `results for ${req.url ?? '/'}`, { priority: req.url === '/healthz' ? 'critical' : 'normal' }).then(
    (body) => res.writeHead(200).end(body),
    (error: unknown) => {
      // After drain(), error.reason is 'draining' for every new request, critical ones too.
      if (isLoadShedError(error)) res.writeHead(503, { 'retry-after': String(Math.ceil(error.retryAfterMs / 1_000)) }).end();
      else res.writeHead(500).end();
    },
  );
});

process.once('SIGTERM', () => {
  // Readiness fails at once; after 5 s new requests are refused; admitted ones finish (up to 20 s).
  void health.drain({ graceMs: 5_000, deadlineMs: 20_000 }).then(() => server.close());
});
