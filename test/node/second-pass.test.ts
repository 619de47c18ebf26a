/** Second review pass: shutdown and drain with ref'd timers, an earlier drain, real components. */
import { afterEach, describe, expect, it } from 'vitest';
import { healthCheck } from '../../src/index.js';
import { gracefulShutdown } from '../../src/node.js';
import { startHttp } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'late'> =>
  Promise.race([promise, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), ms))]);

describe('gracefulShutdown › second pass', () => {
  it('keeps its own deadline when a drain with a longer deadline was already started by hand', async () => {
    const health = healthCheck();
    const { server, stop } = await startHttp((_req, res) => res.end('ok'));
    const handle = gracefulShutdown(server, health, { signals: ['SIGUSR2'], readinessGraceMs: 0, deadlineMs: 200 });
    cleanups.push(stop, handle);
    let finish!: () => void;
    health.track(new Promise<void>((resolve) => (finish = resolve)));
    const earlier = health.drain({ deadlineMs: 5_000 });
    cleanups.push(async () => {
      finish();
      await earlier;
    });
    const started = performance.now();
    const summary = await within(handle.shutdown(), 2_000);
    expect(summary).not.toBe('late');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(summary).toMatchObject({ stillRunning: 1, timedOut: true, serverClosed: true });
  });
});
