import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { healthCheck, type Health } from '../../src/index.js';
import { healthHandler } from '../../src/node.js';
import { ManualClock } from '../../src/testing.js';
import { pingCheck, startHttp, TcpDependency } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server that serves `health` and answers 404 for anything else. */
async function serve(health: Health, options?: Parameters<typeof healthHandler>[1]): Promise<string> {
  const handle = healthHandler(health, options);
  const { url, stop } = await startHttp((req, res) => {
    if (!handle(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not mine');
  });
  cleanups.push(stop);
  return url;
}

describe('healthHandler (real HTTP on 127.0.0.1)', () => {
  it('serves /livez, /readyz, /startupz and /health as application/health+json, 200 or 503, no-store', async () => {
    const health = healthCheck({ clock: new ManualClock(), serviceId: 'svc' })
      .add('db', () => true)
      .add('cache', () => false, { critical: false });
    const url = await serve(health);
    const paths = ['/livez', '/readyz', '/startupz', '/health'];
    // Starting: alive, but not ready (nor started) yet.
    expect((await Promise.all(paths.map((path) => fetch(url + path).then((r) => r.status))))).toEqual([200, 503, 503, 503]);
    health.markStarted();
    const answers = await Promise.all(paths.map((path) => fetch(url + path)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const answer of answers) {
      expect(answer.headers.get('content-type')).toBe('application/health+json');
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    const [livez, readyz, startupz, report] = await Promise.all(answers.map((r) => r.json() as Promise<Record<string, unknown>>));
    expect(livez).toMatchObject({ status: 'pass', serviceId: 'svc' });
    expect(readyz).toMatchObject({ status: 'pass' });
    expect(startupz).toMatchObject({ status: 'pass' });
    expect(report).toMatchObject({ status: 'warn', output: 'failing: cache:responseTime (non-critical)' });
    expect(Object.keys((report ?? {})['checks'] as object)).toEqual(['db:responseTime', 'cache:responseTime', 'lifecycle:state']);
  });

  it('leaves unknown paths to the caller, ignores the query string, and answers 405 to other methods', async () => {
    const health = healthCheck({ clock: new ManualClock() });
    health.markStarted();
    const url = await serve(health);
    const other = await fetch(`${url}/orders`);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('not mine');
    expect((await fetch(`${url}/readyz?verbose=1`)).status).toBe(200);
    expect((await fetch(`${url}/readyzz`)).status).toBe(404);
    const post = await fetch(`${url}/readyz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('supports HEAD: same status and headers, no body', async () => {
    const url = await serve(healthCheck({ clock: new ManualClock() }).add('db', () => false));
    const head = await new Promise<{ status: number; length: string | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest(`${url}/readyz`, { method: 'HEAD' }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, length: res.headers['content-length'], body }));
      });
      req.on('error', reject);
      req.end();
    });
    const get = await fetch(`${url}/readyz`);
    expect(head.status).toBe(503);
    expect(head.body).toBe('');
    expect(Number(head.length)).toBe((await get.text()).length);
  });

  it('takes custom paths, and false turns a view off', async () => {
    const health = healthCheck({ clock: new ManualClock() });
    health.markStarted();
    const url = await serve(health, { paths: { liveness: '/healthz/live', startup: false } });
    expect((await fetch(`${url}/healthz/live`)).status).toBe(200);
    expect((await fetch(`${url}/livez`)).status).toBe(404);
    expect((await fetch(`${url}/startupz`)).status).toBe(404);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('a view that throws or rejects (a bug, never a check) is answered 503 with the reason, like the views themselves do', async () => {
    const broken = {
      readiness: () => Promise.reject(new Error('readiness broke')),
      liveness: () => {
        throw new TypeError('liveness broke');
      },
      startup: () => Promise.resolve({ status: 'pass', checks: { bad: [{ observedValue: 1n }] } }), // JSON.stringify throws
      report: () => Promise.reject(Object.assign(Object.create(null) as object, { toString: undefined })),
    } as unknown as Health;
    const url = await serve(broken);
    const answers = await Promise.all(['/readyz', '/livez', '/startupz', '/health'].map((path) => fetch(url + path)));
    expect(answers.map((r) => r.status)).toEqual([503, 503, 503, 503]);
    const outputs = await Promise.all(answers.map(async (r) => ((await r.json()) as { output: string }).output));
    expect(outputs.slice(0, 3)).toEqual([
      'health report failed: Error: readiness broke',
      'health report failed: TypeError: liveness broke',
      'health report failed: TypeError: Do not know how to serialize a BigInt',
    ]);
    expect(outputs[3]).toMatch(/^health report failed: /);
  });

  it('validates its options', () => {
    const health = healthCheck();
    expect(() => healthHandler(health, { paths: { liveness: 'livez' } })).toThrow(TypeError);
    expect(() => healthHandler(health, { paths: { liveness: '/x', readiness: '/x' } })).toThrow(
      new RangeError('healthHandler(): `paths.readiness` "/x" is already the path of `liveness`'),
    );
    expect(() => healthHandler(health, { paths: { ready: '/r' } } as never)).toThrow(/unknown option `ready`/);
    expect(() => healthHandler({} as never)).toThrow(TypeError);
  });

  it('failure mode 38: readiness flips to 503 within the check timeout when a real TCP dependency stops, then recovers', async () => {
    const dependency = new TcpDependency();
    await dependency.start();
    cleanups.push(() => dependency.stop());
    const timeoutMs = 300;
    const health = healthCheck({ timeoutMs }).add('tcp-dep', pingCheck(dependency), { componentType: 'datastore' });
    health.markStarted();
    const url = await serve(health);
    const readiness = async () => {
      const started = performance.now();
      const response = await fetch(`${url}/readyz`);
      const body = (await response.json()) as { checks: Record<string, { output?: string }[]> };
      return { status: response.status, ms: performance.now() - started, output: body.checks['tcp-dep:responseTime']?.[0]?.output };
    };

    expect((await readiness()).status).toBe(200);

    await dependency.stop(); // connections refused
    const refused = await readiness();
    expect(refused.status).toBe(503);
    expect(refused.output).toMatch(/ECONNREFUSED/);
    expect(refused.ms).toBeLessThan(timeoutMs);

    await dependency.start(); // same port
    expect((await readiness()).status).toBe(200);

    dependency.paused = true; // accepts, never answers: only the timeout can tell
    const hung = await readiness();
    expect(hung.status).toBe(503);
    expect(hung.output).toBe(`timed out after ${timeoutMs} ms`);
    expect(hung.ms).toBeGreaterThanOrEqual(timeoutMs - 5);
    expect(hung.ms).toBeLessThan(timeoutMs + 250);

    dependency.paused = false;
    expect((await readiness()).status).toBe(200);
  });
});
