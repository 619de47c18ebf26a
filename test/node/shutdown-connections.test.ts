import { Agent, get, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { healthCheck, type Health } from '../../src/index.js';
import { gracefulShutdown, type GracefulShutdownOptions } from '../../src/node.js';
import { ManualClock } from '../../src/testing.js';
import { pause, startHttp } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** GET over `agent`; resolves with `status body`, or `lost: reason` when the connection is cut. */
function fetchWith(agent: Agent, url: string): Promise<string> {
  return new Promise((resolve) => {
    get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(`${res.statusCode ?? 0} ${body}`));
      res.on('error', (error) => resolve(`lost: ${error.message}`));
    }).on('error', (error) => resolve(`lost: ${error.message}`));
  });
}

/** Polls (real time) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await pause(5);
  expect(condition()).toBe(true);
}

/**
 * A server whose `/stream` response sends its headers at once and ends `streamMs` later, and whose
 * `/slow` ends `slowMs` after it arrives; with a graceful shutdown on `health` and a keep-alive
 * agent of one socket (a second request waits for the first, then reuses its connection).
 */
async function setup(health: Health, options: GracefulShutdownOptions, timing: { streamMs: number; slowMs: number }) {
  const arrived: string[] = [];
  const { server, url, stop } = await startHttp((req: IncomingMessage, res: ServerResponse) => {
    arrived.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('start ');
    const timer = setTimeout(() => res.end('end'), req.url === '/stream' ? timing.streamMs : timing.slowMs);
    res.on('close', () => clearTimeout(timer));
  });
  const handle = gracefulShutdown(server, health, { signals: ['SIGUSR2'], ...options });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  cleanups.push(stop, handle, () => agent.destroy());
  return { server, url, handle, agent, arrived };
}

describe('gracefulShutdown › keep-alive connections, late requests, upgrades (real HTTP on 127.0.0.1)', () => {
  it('closes a keep-alive socket whose response began before the shutdown as soon as it ends, not after keepAliveTimeout', async () => {
    // Node's server.close() closes the sockets idle at that moment; this one is busy then, and
    // its response (headers already sent) cannot ask to close: without the sweep, it would stay
    // open for keepAliveTimeout (5 s).
    const { url, handle, agent } = await setup(healthCheck(), { deadlineMs: 8_000 }, { streamMs: 200, slowMs: 0 });
    const body = fetchWith(agent, `${url}/stream`);
    await pause(50);
    const started = performance.now();
    const summary = await handle.shutdown();
    expect(await body).toBe('200 start end');
    expect(summary).toMatchObject({ serverClosed: true, stillRunning: 0, timedOut: false });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('a request that comes on a kept-alive connection after the drain ended is served when it can finish before the deadline', async () => {
    const clock = new ManualClock(); // the shutdown's timers (sweep, deadline) only move when told
    const health = healthCheck({ clock });
    const { url, handle, agent, arrived } = await setup(health, { deadlineMs: 5_000 }, { streamMs: 100, slowMs: 100 });
    const first = fetchWith(agent, `${url}/stream`);
    const second = fetchWith(agent, `${url}/late`); // queued by the agent behind the first
    await until(() => arrived.length === 1);
    const shutdown = handle.shutdown();
    await until(() => health.state === 'drained'); // the first response ended: nothing in flight
    await until(() => arrived.length === 2); // then the second request came on the same socket
    expect(await Promise.all([first, second])).toEqual(['200 start end', '200 start end']);
    const summary = await shutdown; // its response asked to close the connection: the server closed
    expect(summary).toMatchObject({ serverClosed: true, stillRunning: 0, timedOut: false, completed: 2 });
  });

  it('a request that comes on a kept-alive connection after the drain ended and runs past the deadline is cut and reported', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock });
    const { url, handle, agent, arrived } = await setup(health, { deadlineMs: 5_000 }, { streamMs: 100, slowMs: 60_000 });
    const first = fetchWith(agent, `${url}/stream`);
    const second = fetchWith(agent, `${url}/late`);
    await until(() => arrived.length === 1);
    const shutdown = handle.shutdown();
    await until(() => arrived.length === 2 && health.inFlight === 1);
    await clock.advance(5_000); // the deadline
    const summary = await shutdown;
    expect(await first).toBe('200 start end');
    expect(await second).toMatch(/^lost: /);
    expect(summary).toMatchObject({ serverClosed: false, stillRunning: 1, timedOut: true, completed: 1 });
  });

  it('at the deadline, destroys upgraded connections (WebSocket-like) too, which closeAllConnections() does not see', async () => {
    const clock = new ManualClock();
    const health = healthCheck({ clock });
    const { server, url, handle } = await setup(health, { deadlineMs: 5_000 }, { streamMs: 0, slowMs: 0 });
    server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
      socket.on('data', (data: Buffer) => socket.write(data));
    });
    const client = await new Promise<Duplex>((resolve, reject) => {
      const req = request(url, { headers: { connection: 'Upgrade', upgrade: 'echo' } });
      req.on('upgrade', (_res, socket: Duplex) => resolve(socket));
      req.on('error', reject);
      req.end();
    });
    cleanups.push(() => void client.destroy());
    let clientClosed = false;
    client.on('close', () => (clientClosed = true));
    client.on('error', () => {});
    const shutdown = handle.shutdown();
    await until(() => health.state === 'drained'); // no request in flight: the drain ends at once
    await pause(50);
    expect(clientClosed).toBe(false); // the server is still open for it: it waits for the deadline
    await clock.advance(5_000);
    const summary = await shutdown;
    expect(summary).toMatchObject({ serverClosed: false, stillRunning: 0, timedOut: true });
    await until(() => clientClosed);
  });

  it('counts each request once (beginWork/endWork, no promise per request), also one the client aborts', async () => {
    const health = healthCheck();
    let begun = 0;
    let ended = 0;
    const beginWork = health.beginWork.bind(health);
    const endWork = health.endWork.bind(health);
    const track = health.track.bind(health);
    let tracked = 0;
    Object.assign(health, {
      beginWork: () => (begun++, beginWork()),
      endWork: () => (ended++, endWork()),
      track: (work: PromiseLike<unknown>) => (tracked++, track(work)),
    });
    const { url, agent, arrived } = await setup(health, { deadlineMs: 1_000 }, { streamMs: 30_000, slowMs: 10 });
    expect(await fetchWith(agent, `${url}/slow`)).toBe('200 start end');
    const aborted = new AbortController();
    const gone = fetch(`${url}/stream`, { signal: aborted.signal }).then((r) => r.text()).catch(() => 'aborted');
    await until(() => arrived.length === 2 && health.inFlight === 1);
    aborted.abort();
    expect(await gone).toBe('aborted');
    await until(() => health.inFlight === 0);
    expect({ begun, ended, tracked }).toEqual({ begun: 2, ended: 2, tracked: 0 });
  });
});
