import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, runChild, type ChildRun } from './child.js';
import { pause, TcpDependency } from './helpers.js';

describe('docs/examples/health-server.ts (bundled and run)', () => {
  let file = '';
  const dependency = new TcpDependency();
  let child: ChildRun | undefined;
  beforeAll(async () => {
    file = await bundle(fileURLToPath(new URL('../../docs/examples/health-server.ts', import.meta.url)));
    await dependency.start();
  }, 60_000);
  afterAll(async () => {
    child?.kill();
    await dependency.stop();
  });

  it('serves its probes, follows its database, and shuts down cleanly on SIGTERM', async () => {
    child = runChild(file, [], { PORT: '0', DATABASE_PORT: String(dependency.port), KUBERNETES_SERVICE_HOST: '' });
    const { port } = (await child.next('listening')) as { port: number };
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/startupz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    expect(await (await fetch(`${url}/orders`)).json()).toEqual({ orders: [] });

    await dependency.stop();
    await pause(1_000); // the example caches results for 1 s
    const down = await fetch(`${url}/readyz`);
    expect(down.status).toBe(503);
    expect(JSON.stringify(await down.json())).toMatch(/ECONNREFUSED/);
    expect((await fetch(`${url}/livez`)).status).toBe(200); // liveness never checks the database

    const order = fetch(`${url}/orders`).then((r) => r.status);
    await pause(20); // the request is in flight (it takes 50 ms)
    child.kill('SIGTERM');
    expect(await order).toBe(200);
    const done = await child.next('shutdown done');
    expect(done).toMatchObject({ signal: 'SIGTERM', stillRunning: 0, serverClosed: true });
    expect(await child.exited).toMatchObject({ code: 0, signal: null });
  }, 20_000);
});
