import { afterEach, describe, expect, it } from 'vitest';
import { healthCheck, type BulkheadLike } from '../../src/index.js';
import { gracefulShutdown, healthHandler } from '../../src/node.js';
import { pause, startHttp } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A bulkhead-shaped admission gate, registered through the structural seam: refuses new work once drained. */
class Gate implements BulkheadLike {
  active = 0;
  queued = 0;
  readonly limit = 1_000;
  refusing = false;
  drain(): void {
    this.refusing = true;
  }
}

describe('drain over real HTTP (127.0.0.1)', () => {
  it('in-flight requests all complete with 200, new ones get 503, nothing is lost, the server closes before the deadline', async () => {
    const deadlineMs = 3_000;
    const health = healthCheck().add('self', () => true);
    health.markStarted();
    const gate = new Gate();
    health.addBulkhead('requests', gate);
    const handleHealth = healthHandler(health);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived = 0;
    const { server, url, stop } = await startHttp((req, res) => {
      if (handleHealth(req, res)) return;
      if (gate.refusing) {
        res.writeHead(503, { 'retry-after': '1', connection: 'close' }).end('draining');
        return;
      }
      gate.active++;
      arrived++;
      void held.then(() => {
        res.end(`done ${req.url ?? ''}`);
        gate.active--;
      });
    });
    const shutdown = gracefulShutdown(server, health, { signals: ['SIGUSR2'], deadlineMs });
    cleanups.push(stop, shutdown);

    const inFlight = Array.from({ length: 20 }, (_, i) => fetch(`${url}/work/${i}`).then(async (r) => ({ status: r.status, body: await r.text() })));
    while (arrived < 20) await pause(5);
    // Each request counts twice: once as an HTTP request (gracefulShutdown), once in the gate.
    expect(health.inFlight).toBe(40);

    const started = performance.now();
    const drained = health.drain({ deadlineMs, pollMs: 20 }); // lame duck: the server still accepts
    expect(gate.refusing).toBe(true);

    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as { checks: Record<string, { observedValue: unknown }[]> }).checks['lifecycle:state']?.[0]?.observedValue).toBe('draining');
    expect((await fetch(`${url}/livez`)).status).toBe(200);

    const refused = await Promise.all(Array.from({ length: 5 }, (_, i) => fetch(`${url}/work/new-${i}`).then((r) => r.status)));
    expect(refused).toEqual([503, 503, 503, 503, 503]);

    // Then the shutdown proper: the server stops accepting and closes its connections as they go idle.
    const closing = shutdown.shutdown(); // the drain in progress is the one it waits for
    release();
    const completed = await Promise.all(inFlight);
    expect(completed).toEqual(Array.from({ length: 20 }, (_, i) => ({ status: 200, body: `done /work/${i}` })));

    const summary = await closing;
    expect(summary).toMatchObject({ stillRunning: 0, timedOut: false, serverClosed: true });
    expect(summary.durationMs).toBeLessThan(deadlineMs);
    expect(performance.now() - started).toBeLessThan(deadlineMs);
    expect(await drained).toMatchObject({ stillRunning: 0, timedOut: false });
    expect(health.state).toBe('drained');
    // Nothing lost: every request got an answer (20 completed, 5 refused), none failed.
    await expect(fetch(`${url}/work/after`)).rejects.toThrow();
  });
});
