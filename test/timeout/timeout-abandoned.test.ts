import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventHub, pipeline, timeout, TimeoutError, type TimeoutLateEvent } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred, flush, observe } from '../helpers/deferred.js';
import { watchProcess, type ProcessWatch } from '../helpers/process-watch.js';

// Failure modes 9 and 10: work given up at its deadline keeps running. When it settles later it
// must not become an unhandled rejection nor settle the call a second time, and it is reported:
// one `timeout.late` event each, and the `abandoned` gauge returns to 0.

let watch: ProcessWatch;
beforeEach(() => {
  watch = watchProcess();
});
afterEach(() => {
  watch.stop();
});

function setup(ms: number) {
  const clock = new ManualClock();
  const events = createEventHub();
  const late: TimeoutLateEvent[] = [];
  let timeouts = 0;
  events.on('timeout.late', (e) => late.push(e));
  events.on('timeout', () => timeouts++);
  return { clock, events, late, policy: timeout({ ms, clock, events }), timeouts: () => timeouts };
}

describe('timeout: abandoned work (failure modes 9, 10)', () => {
  it('failure mode 9: time out, then reject 1 ms later: no unhandled rejection, every hook runs once', async () => {
    const { clock, late, policy, timeouts } = setup(10);
    const work = deferred<string>();
    const lateError = new Error('late failure');
    const call = observe(policy.execute(() => work.promise));
    await clock.advance(10);
    expect(call.state.status === 'rejected' && call.state.reason).toBeInstanceOf(TimeoutError);
    await clock.advance(1);
    work.reject(lateError);
    await flush();
    await flush();
    expect(watch.unhandled).toEqual([]);
    expect(call.settledCount).toBe(1);
    expect(timeouts()).toBe(1);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ outcome: 'rejected', error: lateError, lateByMs: 1, timeoutMs: 10 });
  });

  it('failure mode 10: 1,000 timed-out operations that reject late: one late event each, abandoned back to 0', async () => {
    const { clock, late, policy } = setup(20);
    const works = Array.from({ length: 1_000 }, () => deferred<number>());
    const calls = works.map((work) => observe(policy.execute(() => work.promise)));
    expect(policy.abandoned).toBe(0);
    await clock.advance(20);
    expect(calls.every((c) => c.state.status === 'rejected' && c.state.reason instanceof TimeoutError)).toBe(true);
    expect(policy.abandoned).toBe(1_000);
    await clock.advance(5);
    works.forEach((work, i) => work.reject(new Error(`late ${i}`)));
    await flush();
    await flush();
    expect(watch.unhandled).toEqual([]);
    expect(late).toHaveLength(1_000);
    expect(late.every((e) => e.outcome === 'rejected' && e.lateByMs === 5)).toBe(true);
    expect(new Set(late.map((e) => (e.error as Error).message)).size).toBe(1_000);
    expect(policy.abandoned).toBe(0);
    expect(calls.every((c) => c.settledCount === 1)).toBe(true);
  });

  it('work that resolves late gives one fulfilled late event and decrements abandoned', async () => {
    const { clock, late, policy } = setup(10);
    const work = deferred<string>();
    const call = observe(policy.execute(() => work.promise));
    await clock.advance(10);
    expect(policy.abandoned).toBe(1);
    await clock.advance(90);
    work.resolve('too late');
    await flush();
    expect(call.state.status).toBe('rejected');
    expect(late).toEqual([expect.objectContaining({ type: 'timeout.late', outcome: 'fulfilled', error: undefined, lateByMs: 90 })]);
    expect(policy.abandoned).toBe(0);
  });

  it('work that honours the abort signal and rejects with its reason is reported late too, still once', async () => {
    const { clock, late, policy } = setup(10);
    const call = observe(
      policy.execute(
        ({ signal }) =>
          new Promise((_, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason));
          }),
      ),
    );
    await clock.advance(10);
    await flush();
    expect(call.state.status === 'rejected' && call.state.reason).toBeInstanceOf(TimeoutError);
    expect(late).toHaveLength(1);
    expect(late[0]?.error).toBe(call.state.status === 'rejected' ? call.state.reason : undefined);
    expect(policy.abandoned).toBe(0);
    expect(watch.unhandled).toEqual([]);
  });

  it('work that never settles stays counted as abandoned, and emits no late event', async () => {
    const { clock, late, policy } = setup(10);
    observe(policy.execute(() => new Promise(() => {})));
    await clock.advance(1_000);
    expect(policy.abandoned).toBe(1);
    expect(late).toEqual([]);
  });

  it('work abandoned by a caller abort that rejects later is not an unhandled rejection nor a late event', async () => {
    const { clock, late, policy } = setup(100);
    const work = deferred<string>();
    const controller = new AbortController();
    const call = observe(policy.execute(() => work.promise, { signal: controller.signal }));
    controller.abort(new Error('caller'));
    await flush();
    work.reject(new Error('after the caller left'));
    await flush();
    await flush();
    expect(call.settledCount).toBe(1);
    expect(watch.unhandled).toEqual([]);
    expect(late).toEqual([]);
    expect(policy.abandoned).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('late work under nested timeouts is reported once, by the timeout that gave up, with its real outcome and time', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const late: TimeoutLateEvent[] = [];
    events.on('timeout.late', (e) => late.push(e));
    const outer = timeout({ ms: 10, clock, events, name: 'outer' });
    const inner = timeout({ ms: 50, clock, events, name: 'inner' });
    const work = deferred<string>();
    const call = observe(pipeline(outer, inner).execute(() => work.promise));
    await clock.advance(10);
    expect(call.state.status === 'rejected' && call.state.reason).toBeInstanceOf(TimeoutError);
    expect(clock.pendingTimers).toBe(0); // the inner deadline was cleared when the outer gave up
    expect(outer.abandoned).toBe(1); // the work is still running
    expect(late).toEqual([]);
    await clock.advance(30);
    const lateError = new Error('late');
    work.reject(lateError);
    await flush();
    await flush();
    expect(watch.unhandled).toEqual([]);
    expect(late).toEqual([expect.objectContaining({ name: 'outer', outcome: 'rejected', error: lateError, lateByMs: 30 })]);
    expect(outer.abandoned + inner.abandoned).toBe(0);
    expect(call.settledCount).toBe(1);
  });
});
