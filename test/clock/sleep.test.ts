import { afterEach, describe, expect, it, vi } from 'vitest';
import { sleep } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush, observe } from '../helpers/deferred.js';
import { abortListeners } from '../helpers/process-watch.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('sleep', () => {
  it('resolves after ms on the given clock, not before', async () => {
    const clock = new ManualClock();
    const wait = observe(sleep(100, { clock }));
    await clock.advance(99);
    expect(wait.state.status).toBe('pending');
    await clock.advance(1);
    expect(wait.state).toEqual({ status: 'fulfilled', value: undefined });
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects at once with the abort reason, leaving no timer and no listener', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const wait = observe(sleep(60_000, { clock, signal: controller.signal }));
    expect(clock.pendingTimers).toBe(1);
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort(reason);
    await flush(); // promise continuations only: the clock did not move
    expect(wait.state).toEqual({ status: 'rejected', reason });
    expect(clock.now()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('with an already-aborted signal rejects with its reason and sets no timer', async () => {
    const clock = new ManualClock();
    const reason = new Error('too late');
    const signal = AbortSignal.abort(reason);
    await expect(sleep(10, { clock, signal })).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    expect(abortListeners(signal)).toBe(0);
  });

  it('removes its listener when it completes, and a later abort changes nothing', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const wait = observe(sleep(10, { clock, signal: controller.signal }));
    await clock.advance(10);
    expect(abortListeners(controller.signal)).toBe(0);
    controller.abort(new Error('after'));
    await flush();
    expect(wait.state.status).toBe('fulfilled');
    expect(wait.settledCount).toBe(1);
  });

  it('many sleeps on one signal each clean up after themselves', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const waits = Array.from({ length: 5 }, (_, i) => observe(sleep(10 * (i + 1), { clock, signal: controller.signal })));
    await clock.advance(25);
    expect(abortListeners(controller.signal)).toBe(3);
    controller.abort(new Error('stop'));
    await flush();
    expect(waits.map((w) => w.state.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected']);
    expect(abortListeners(controller.signal)).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('uses the system clock by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const wait = observe(sleep(2 ** 31));
    vi.advanceTimersByTime(2 ** 31 - 1);
    await flush();
    expect(wait.state.status).toBe('pending');
    vi.advanceTimersByTime(1);
    await flush();
    expect(wait.state.status).toBe('fulfilled');
  });
});
