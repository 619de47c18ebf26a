import { Agent, createServer, get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEventHub, healthCheck, type HealthDrainEvent } from '../../src/index.js';
import { gracefulShutdown, healthHandler, type ShutdownHandle } from '../../src/node.js';
import { bundle, runChild, type ChildRun } from './child.js';
import { ManualClock } from '../../src/testing.js';
import { pause, startHttp } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** GET over a given agent, resolving with status, connection header and body. */
function getWith(agent: Agent, url: string): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    }).on('error', reject);
  });
}

/** A server with a health handler and `/work` held for `holdMs`, plus its graceful shutdown. */
async function setup(options: Parameters<typeof gracefulShutdown>[2], holdMs = 200) {
  const events = createEventHub();
  const health = healthCheck({ events });
  const handleHealth = healthHandler(health);
  const { server, url, stop } = await startHttp((req, res) => {
    if (handleHealth(req, res)) return;
    if (req.url === '/forever') return; // never answers
    setTimeout(() => res.end(`done ${req.url ?? ''}`), holdMs);
  });
  const handle = gracefulShutdown(server, health, options);
  cleanups.push(stop, handle);
  return { events, health, server, url, handle };
}

describe('gracefulShutdown (in process, real HTTP on 127.0.0.1)', () => {
  it('fails readiness, waits the grace period, then stops accepting while in-flight requests finish', async () => {
    const { url, handle, events } = await setup({ signals: ['SIGUSR2'], readinessGraceMs: 150, deadlineMs: 3_000 }, 300);
    const phases: HealthDrainEvent['phase'][] = [];
    events.on('health.drain', (e) => phases.push(e.phase));
    const agent = new Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    const inFlight = Array.from({ length: 5 }, (_, i) => getWith(agent, `${url}/work/${i}`));
    await pause(50);
    const started = performance.now();
    const shutdown = handle.shutdown();
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    // During the grace period the server still accepts (load balancers may not have noticed yet).
    const duringGrace = await getWith(agent, `${url}/work/late`);
    expect(duringGrace.status).toBe(200);
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // Responses finished after the lame-duck point ask the client to close its connection.
    expect(results.every((r) => r.connection === 'close')).toBe(true);
    const summary = await shutdown;
    expect(summary).toMatchObject({ signal: undefined, serverClosed: true, stillRunning: 0, timedOut: false });
    expect(summary.completed).toBeGreaterThanOrEqual(6);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(await handle.done).toBe(summary);
    expect(phases).toEqual(['start', 'refuse', 'end']);
    await expect(fetch(`${url}/readyz`)).rejects.toThrow(); // no longer accepting
  });

  it('at the deadline, cuts what still runs and reports it', async () => {
    const { url, handle } = await setup({ signals: ['SIGUSR2'], deadlineMs: 300 });
    const stuck = fetch(`${url}/forever`).then(
      () => 'answered',
      () => 'cut',
    );
    await pause(50);
    const summary = await handle.shutdown();
    expect(summary).toMatchObject({ stillRunning: 1, timedOut: true, serverClosed: false });
    expect(summary.durationMs).toBeGreaterThanOrEqual(295);
    expect(await stuck).toBe('cut');
  });

  it('starts on its signals, ignores repeated signals, and removes its listeners once done (a further signal has its default effect)', async () => {
    const before = process.listenerCount('SIGUSR2');
    const { health, handle, server } = await setup({ signals: ['SIGUSR2'], deadlineMs: 1_000 });
    const serverListeners = () => [server.listenerCount('request'), server.listenerCount('connection')];
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    expect(serverListeners()).toEqual([2, 2]); // the server's own, and the shutdown's
    const drains: HealthDrainEvent[] = [];
    health.events.on('health.drain', (e) => drains.push(e));
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2');
    const summary = await handle.done;
    expect(process.listenerCount('SIGUSR2')).toBe(before); // without calling the handle
    expect(serverListeners()).toEqual([1, 1]);
    expect(summary.signal).toBe('SIGUSR2');
    expect(drains.filter((e) => e.phase === 'start')).toHaveLength(1);
    handle();
    handle();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });

  it('a disposed shutdown no longer reacts to its signals', async () => {
    const { health, handle } = await setup({ signals: ['SIGUSR2'] });
    handle();
    process.emit('SIGUSR2', 'SIGUSR2'); // an emitted event, not a real signal: no default action
    await pause(20);
    expect(health.state).toBe('starting');
  });

  it.each([
    ['10.0.0.1', 5_000],
    ['', 0],
    [undefined, 0],
  ])('readinessGraceMs defaults to 5 s in Kubernetes (KUBERNETES_SERVICE_HOST=%j), else 0; timing follows health.clock', async (host, graceMs) => {
    const saved = process.env['KUBERNETES_SERVICE_HOST'];
    if (host === undefined) delete process.env['KUBERNETES_SERVICE_HOST'];
    else process.env['KUBERNETES_SERVICE_HOST'] = host;
    try {
      const clock = new ManualClock();
      const health = healthCheck({ clock });
      const refusedAt: number[] = [];
      health.events.on('health.drain', (e) => e.phase === 'refuse' && refusedAt.push(e.time));
      const handle = gracefulShutdown(createServer(), health, { signals: ['SIGUSR2'] });
      cleanups.push(handle);
      const shutdown = handle.shutdown();
      await clock.advance(graceMs);
      expect(refusedAt).toEqual([graceMs]);
      expect(await shutdown).toMatchObject({ serverClosed: true, durationMs: graceMs });
      expect(clock.pendingTimers).toBe(0);
    } finally {
      if (saved === undefined) delete process.env['KUBERNETES_SERVICE_HOST'];
      else process.env['KUBERNETES_SERVICE_HOST'] = saved;
    }
  });

  it('validates its options', async () => {
    const { server, health } = await setup(undefined);
    const handles: ShutdownHandle[] = [];
    expect(() => handles.push(gracefulShutdown(server, health, { signals: ['SIGNOPE' as NodeJS.Signals] }))).toThrow(TypeError);
    expect(() => handles.push(gracefulShutdown(server, health, { signals: [] }))).toThrow(TypeError);
    expect(() => handles.push(gracefulShutdown(server, health, { readinessGraceMs: 2_000, deadlineMs: 1_000 }))).toThrow(
      new RangeError('gracefulShutdown(): `readinessGraceMs` (2000) must be <= `deadlineMs` (1000)'),
    );
    expect(() => handles.push(gracefulShutdown(server, health, { deadlineMs: -1 }))).toThrow(RangeError);
    expect(() => handles.push(gracefulShutdown({} as never, health))).toThrow(TypeError);
    expect(() => handles.push(gracefulShutdown(server, {} as never))).toThrow(TypeError);
    expect(handles).toEqual([]);
  });

  it.each(['SIGKILL', 'SIGSTOP'] as const)('rejects %s (it cannot be caught) and leaves no listener behind', async (uncatchable) => {
    const { server, health } = await setup(undefined);
    const counts = () => [process.listenerCount('SIGTERM'), server.listenerCount('request'), server.listenerCount('connection')];
    const before = counts();
    expect(() => gracefulShutdown(server, health, { signals: ['SIGTERM', uncatchable] })).toThrow(
      new RangeError(`gracefulShutdown(): \`signals\` must not include "${uncatchable}" (string): SIGKILL and SIGSTOP cannot be caught`),
    );
    expect(counts()).toEqual(before);
  });

  it('leaves no listener behind when installing one fails', async () => {
    const { server, health } = await setup(undefined);
    const counts = () => [process.listenerCount('SIGUSR2'), process.listenerCount('SIGHUP'), server.listenerCount('request'), server.listenerCount('connection')];
    const before = counts();
    const on = process.on.bind(process);
    vi.spyOn(process, 'on').mockImplementation(((event: string, listener: (...args: unknown[]) => void) => {
      if (event === 'SIGHUP') throw new Error('uv_signal_start EINVAL');
      return on(event, listener);
    }) as typeof process.on);
    expect(() => gracefulShutdown(server, health, { signals: ['SIGUSR2', 'SIGHUP'] })).toThrow('uv_signal_start EINVAL');
    vi.restoreAllMocks();
    expect(counts()).toEqual(before);
  });
});

describe('gracefulShutdown in a child process that sends itself SIGTERM', () => {
  let file = '';
  const children: ChildRun[] = [];
  beforeAll(async () => {
    file = await bundle(fileURLToPath(new URL('./fixtures/shutdown-child.ts', import.meta.url)));
  }, 60_000);
  afterAll(() => {
    for (const child of children) child.kill();
  });

  async function drive(mode: 'protected' | 'lingering' | 'unprotected') {
    const child = runChild(file, [mode, '5', '500']);
    children.push(child);
    const { port } = (await child.next('listening')) as { port: number };
    const url = `http://127.0.0.1:${port}`;
    const requests = Array.from({ length: 5 }, (_, i) =>
      fetch(`${url}/work/${i}`).then(
        async (r) => `${r.status} ${await r.text()}`,
        (error: Error) => `lost: ${error.message}`,
      ),
    );
    return { child, url, requests };
  }

  it('exits cleanly by itself, and no request is lost', async () => {
    const { child, url, requests } = await drive('protected');
    await child.next('sigterm');
    // The signal arrived; during the grace period readiness already answers 503.
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect(await Promise.all(requests)).toEqual(Array.from({ length: 5 }, (_, i) => `200 done /work/${i}`));
    const done = await child.next('done');
    expect(done['summary']).toMatchObject({ signal: 'SIGTERM', stillRunning: 0, timedOut: false, serverClosed: true });
    const exit = await child.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    // Nothing keeps the process alive once the shutdown is done.
    const doneAt = child.lines.find((l) => l['event'] === 'done')?.['at'] as number;
    expect(exit.at - doneAt).toBeLessThan(1_000);
    await expect(fetch(`${url}/readyz`)).rejects.toThrow();
  }, 20_000);

  it('once done, a further SIGTERM has its default effect (ends a process that something else keeps alive)', async () => {
    const { child } = await drive('lingering');
    const done = await child.next('done');
    expect(done['summary']).toMatchObject({ signal: 'SIGTERM', stillRunning: 0 });
    await pause(100);
    child.kill('SIGTERM');
    const exit = await Promise.race([child.exited, pause(3_000).then(() => 'still alive')]);
    expect(exit).toMatchObject({ signal: 'SIGTERM' });
  }, 20_000);

  it('negative control: without it, SIGTERM kills the process and the in-flight requests are lost', async () => {
    const { child, requests } = await drive('unprotected');
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGTERM');
    const results = await Promise.all(requests);
    expect(results.every((r) => r.startsWith('lost'))).toBe(true);
  }, 20_000);
});
