import { createServer } from 'node:http';
import { isLoadShedError, loadShedder, type ShedPriority } from '../../src/index.js';

const shedder = loadShedder({
  name: 'http',
  maxInFlight: 200, // the hard limit: only critical requests may use all of it
  latency: { targetMs: 250, percentile: 99, windowMs: 10_000 },
  retryAfterMs: 2_000,
});

const priorityOf = (path: string | undefined): ShedPriority =>
  path === '/checkout' ? 'critical' : path?.startsWith('/recommendations') ? 'sheddable' : 'normal';

async function handle(path: string | undefined): Promise<string> {
  return `served ${path ?? '/'}`;
}

createServer((req, res) => {
  shedder.execute(() => handle(req.url), { priority: priorityOf(req.url) }).then(
    (body) => res.writeHead(200).end(body),
    (error: unknown) => {
      if (isLoadShedError(error)) {
        // Refused before any work started: tell the client when to come back.
        res.writeHead(503, { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)) }).end();
      } else {
        res.writeHead(500).end();
      }
    },
  );
}).listen(8080, '127.0.0.1');
