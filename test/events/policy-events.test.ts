import { describe, expect, it, vi } from 'vitest';
import {
  constantBackoff,
  createEventHub,
  pipeline,
  retry,
  timeout,
  TimeoutError,
  type EventHub,
  type ResilienceEvent,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred, hang, observe } from '../helpers/deferred.js';

/** Runs one call of each kind (success, fn error, timeout then late reject, caller abort). */
async function mixedCalls(events: EventHub, clock: ManualClock) {
  const policy = timeout({ ms: 100, clock, events, name: 'mixed' });
  const late = deferred<string>();
  const controller = new AbortController();
  const abortReason = new Error('caller');
  const fnError = new Error('fn');
  const success = observe(policy.execute(() => 'ok'));
  const failure = observe(policy.execute(() => Promise.reject(fnError)));
  const timedOut = observe(policy.execute(() => late.promise));
  const aborted = observe(policy.execute(() => hang(), { signal: controller.signal }));
  await clock.advance(50);
  controller.abort(abortReason);
  await clock.advance(50);
  late.reject(new Error('late'));
  await clock.advance(10);
  return { policy, success, failure, timedOut, aborted, abortReason, fnError };
}

describe('policy events', () => {
  it('failure mode 34: listeners that throw on every event change no outcome, others still run, each error reported once', async () => {
    const clock = new ManualClock();
    const reported: unknown[] = [];
    const events = createEventHub({ onListenerError: (error) => reported.push(error) });
    let thrown = 0;
    const throwing = (): void => {
      thrown++;
      throw new Error(`listener ${thrown}`);
    };
    events.onAny(throwing);
    events.on('timeout', throwing);
    events.on('timeout.late', throwing);
    const seen: string[] = [];
    events.onAny((e) => seen.push(e.type));
    const r = await mixedCalls(events, clock);
    expect(r.success.state).toEqual({ status: 'fulfilled', value: 'ok' });
    expect(r.failure.state).toEqual({ status: 'rejected', reason: r.fnError });
    expect(r.timedOut.state.status === 'rejected' && r.timedOut.state.reason).toBeInstanceOf(TimeoutError);
    expect(r.aborted.state).toEqual({ status: 'rejected', reason: r.abortReason });
    expect(r.policy.abandoned).toBe(0);
    expect(seen).toEqual(['timeout', 'timeout.late']);
    expect(thrown).toBe(4); // 2 events x (onAny + typed)
    expect(reported).toHaveLength(4);
    expect(new Set(reported).size).toBe(4);
    expect(clock.pendingTimers).toBe(0);
  });

  it('builds no payload and calls no emit when nobody listens (a hub whose emit throws)', async () => {
    const clock = new ManualClock();
    const emit = vi.fn(() => {
      throw new Error('emit must not be called');
    });
    const hasListeners = vi.fn((_type: string) => false);
    const silent: EventHub = { on: () => () => {}, onAny: () => () => {}, hasListeners, emit };
    const r = await mixedCalls(silent, clock);
    expect(r.success.state.status).toBe('fulfilled');
    expect(r.failure.state.status).toBe('rejected');
    expect(r.timedOut.state.status === 'rejected' && r.timedOut.state.reason).toBeInstanceOf(TimeoutError);
    expect(r.policy.abandoned).toBe(0);
    expect(emit).not.toHaveBeenCalled();
    expect(hasListeners.mock.calls.map(([type]) => type)).toEqual(['timeout', 'timeout.late']);
  });

  it('every event carries type, kind, the policy name and the clock time', async () => {
    const clock = new ManualClock({ start: 1_000 });
    const events = createEventHub();
    const seen: ResilienceEvent[] = [];
    events.onAny((e) => seen.push(e));
    const late = deferred<string>();
    const call = observe(timeout({ ms: 30, clock, events, name: 'inventory' }).execute(() => late.promise));
    await clock.advance(30);
    await clock.advance(12);
    late.resolve('finally');
    await clock.advance(0);
    expect(call.state.status).toBe('rejected');
    expect(seen).toEqual([
      { type: 'timeout', kind: 'timeout', name: 'inventory', time: 1_030, timeoutMs: 30, attempt: 1 },
      { type: 'timeout.late', kind: 'timeout', name: 'inventory', time: 1_042, outcome: 'fulfilled', error: undefined, lateByMs: 12, timeoutMs: 30 },
    ]);
    for (const event of seen) {
      expect(Object.keys(event)).toEqual(expect.arrayContaining(['type', 'kind', 'name', 'time']));
    }
  });

  it('one hub serves many policies, told apart by name; unnamed policies are named by kind', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const names: string[] = [];
    events.on('timeout', (e) => names.push(e.name));
    const calls = [timeout({ ms: 5, clock, events, name: 'a' }), timeout({ ms: 5, clock, events, name: 'b' }), timeout({ ms: 5, clock, events })].map((p) =>
      observe(p.execute(() => hang())),
    );
    await clock.advance(5);
    expect(calls.every((c) => c.state.status === 'rejected')).toBe(true);
    expect(names).toEqual(['a', 'b', 'timeout']);
  });

  it('failure mode 35: exactly one timeout event per timed-out call, none for other outcomes', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    let timeoutEvents = 0;
    events.on('timeout', () => timeoutEvents++);
    const policy = timeout({ ms: 10, clock, events });
    const controllers = Array.from({ length: 200 }, () => new AbortController());
    const calls = controllers.map((controller, i) =>
      observe(
        policy.execute(
          () => {
            switch (i % 4) {
              case 0:
                return 'value';
              case 1:
                return Promise.reject(new Error('fn'));
              default:
                return hang();
            }
          },
          { signal: controller.signal },
        ),
      ),
    );
    await clock.advance(5);
    controllers.forEach((controller, i) => i % 4 === 3 && controller.abort(new Error('caller')));
    await clock.advance(100);
    const timedOut = calls.filter((c) => c.state.status === 'rejected' && c.state.reason instanceof TimeoutError).length;
    expect(timedOut).toBe(50);
    expect(timeoutEvents).toBe(timedOut);
    expect(calls.every((c) => c.settledCount === 1)).toBe(true);
  });

  it('failure mode 35: retry + timeout emits one timeout event per timed-out attempt and one give-up', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const types: string[] = [];
    events.onAny((e) => types.push(e.type === 'timeout' ? `timeout#${e.attempt}` : e.type));
    const policy = pipeline(retry({ clock, events, maxAttempts: 3, backoff: constantBackoff(1) }), timeout({ clock, events, ms: 10 }));
    const call = observe(policy.execute(() => hang()));
    await clock.advance(100);
    expect(call.state.status === 'rejected' && call.state.reason).toBeInstanceOf(TimeoutError);
    expect(types).toEqual(['timeout#1', 'retry', 'timeout#2', 'retry', 'timeout#3', 'retry.giveup']);
  });
});
