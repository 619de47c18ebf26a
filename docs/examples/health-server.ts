/**
 * A service with Kubernetes-style health probes and a graceful shutdown that finishes every
 * request it accepted.
 *
 *   PORT=3000 DATABASE_HOST=127.0.0.1 DATABASE_PORT=5432 node health-server.js
 *
 * - GET /livez     liveness: the process itself (never the database)
 * - GET /readyz    readiness: the critical dependencies; 503 until started and as soon as shutdown starts
 * - GET /startupz  startup: passes once the server listens
 * - GET /health    everything, for people and dashboards
 * - GET /orders    the service's own work
 *
 * On SIGTERM or SIGINT: readiness fails, the load balancer gets `readinessGraceMs` to notice, the
 * server stops accepting, in-flight requests finish (up to `deadlineMs`), and the process ends.
 *
 * This file is type-checked with the rest of the repository and run by test/node/example.test.ts.
 */
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { healthCheck, type HealthCheckFunction } from 'crackstop';
import { gracefulShutdown, healthHandler } from 'crackstop/node';

const port = Number(process.env['PORT'] ?? 3000);
const databaseHost = process.env['DATABASE_HOST'] ?? '127.0.0.1';
const databasePort = Number(process.env['DATABASE_PORT'] ?? 5432);
const recommendationsUrl = process.env['RECOMMENDATIONS_URL'];

/** One structured log line. */
function log(fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), ...fields }));
}

/**
 * Whether a TCP endpoint accepts connections: a stand-in for `SELECT 1` on a real pool. The
 * check's signal aborts at its timeout, so an unanswered connect is torn down, not left behind.
 */
function tcpReachable(host: string, tcpPort: number): HealthCheckFunction {
  return ({ signal }) =>
    new Promise<void>((resolve, reject) => {
      const socket = connect({ host, port: tcpPort });
      const onAbort = (): void => void socket.destroy(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.end();
        resolve();
      });
      socket.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      });
    });
}

const health = healthCheck({
  serviceId: 'orders',
  version: '1.0.0',
  timeoutMs: 500, // below the probes' timeoutSeconds (1 s by default)
  cacheMs: 1_000, // probes of several kinds share one run per second
  // Reports are readable by whoever reaches the port: no stack, no connection string.
  errorOutput: (error) => (error instanceof Error ? error.message : 'check failed'),
}).add('postgres', tcpReachable(databaseHost, databasePort), { componentType: 'datastore' });

if (recommendationsUrl !== undefined) {
  // Nice to have: when it fails, the service still serves (the report says `warn`, 200).
  health.add(
    'recommendations',
    async ({ signal }) => {
      const response = await fetch(recommendationsUrl, { signal });
      return response.ok ? 'pass' : { status: 'fail', output: `HTTP ${response.status}` };
    },
    { critical: false },
  );
}

health.events.on('health.changed', (e) => log({ msg: 'health changed', check: e.check ?? 'overall', from: e.from, to: e.to, output: e.output }));
health.events.on('health.drain', (e) => log({ msg: `drain ${e.phase}`, inFlight: e.inFlight, completed: e.completed }));

const handleHealth = healthHandler(health);
const server = createServer((req, res) => {
  if (handleHealth(req, res)) return;
  if (req.method === 'GET' && req.url === '/orders') {
    // Real work would query the database here; in-flight requests are tracked for the drain.
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ orders: [] })), 50);
    return;
  }
  res.writeHead(404).end();
});

const shutdown = gracefulShutdown(server, health, { deadlineMs: 25_000 });
void shutdown.done.then((summary) => {
  log({ msg: 'shutdown done', ...summary });
  // Close clients here (pool.end(), redis.quit()...). Nothing else is left: the process ends.
  process.exitCode = summary.stillRunning === 0 ? 0 : 1;
});

server.listen(port, () => {
  const address = server.address();
  log({ msg: 'listening', port: typeof address === 'object' && address !== null ? address.port : port });
  health.markStarted();
});
