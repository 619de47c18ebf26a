import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pipeline, retry, timeout, type Policy } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred, flush, hang, observe } from '../helpers/deferred.js';
import { abortListeners, watchProcess, type ProcessWatch } from '../helpers/process-watch.js';

// Failure mode 4: one long-lived caller signal (a server's shutdown signal, say) goes through
// many calls. Each policy holds at most one abort listener on it, whatever the number of calls
// in flight, and none once they have settled.

const N = 10_000;

let watch: ProcessWatch;
beforeEach(() => {
  watch = watchProcess();
});
afterEach(() => {
  watch.stop();
});

function policies(clock: ManualClock): Array<[string, Policy]> {
  return [
    ['timeout', timeout({ ms: 1_000, clock })],
    ['pipeline(timeout, timeout)', pipeline(timeout({ ms: 1_000, clock }), timeout({ ms: 500, clock }))],
    ['pipeline(retry, timeout)', pipeline(retry({ clock }), timeout({ ms: 500, clock }))],
  ];
}

function isMaxListenersWarning(warning: Error): boolean {
  return warning.name === 'MaxListenersExceededWarning';
}

describe('signal linking (failure mode 4)', () => {
  it('10,000 sequential successful calls leave no listener on the caller signal', async () => {
    const clock = new ManualClock();
    const { signal } = new AbortController();
    for (const [name, policy] of policies(clock)) {
      let maxDuring = 0;
      for (let i = 0; i < N; i++) {
        await policy.execute(() => {
          maxDuring = Math.max(maxDuring, abortListeners(signal));
          return i;
        }, { signal });
      }
      expect(maxDuring, name).toBe(1);
      expect(abortListeners(signal), name).toBe(0);
    }
    expect(clock.pendingTimers).toBe(0);
  });

  it('10,000 concurrent calls share one listener, removed when the last settles, with no warning', async () => {
    const clock = new ManualClock();
    const { signal } = new AbortController();
    for (const [name, policy] of policies(clock)) {
      const gate = deferred<void>();
      const calls = Array.from({ length: N }, (_, i) => policy.execute(() => gate.promise.then(() => i), { signal }));
      await flush();
      expect(abortListeners(signal), name).toBe(1);
      gate.resolve();
      const results = await Promise.all(calls);
      expect(results[N - 1], name).toBe(N - 1);
      expect(abortListeners(signal), name).toBe(0);
    }
    await flush();
    expect(watch.warnings.filter(isMaxListenersWarning)).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('policies sharing a signal hold one listener each, not one per call', async () => {
    const clock = new ManualClock();
    const { signal } = new AbortController();
    const all = policies(clock).map(([, policy]) => policy);
    const gate = deferred<void>();
    const calls = all.flatMap((policy) => Array.from({ length: 100 }, () => policy.execute(() => gate.promise, { signal })));
    expect(abortListeners(signal)).toBe(all.length);
    gate.resolve();
    await Promise.all(calls);
    expect(abortListeners(signal)).toBe(0);
  });

  it('the warning oracle works: 11 listeners on one signal do warn', async () => {
    watch.stop();
    watch = watchProcess({ quiet: true }); // the warning is expected: collect it, do not print it
    const { signal } = new AbortController();
    for (let i = 0; i < 11; i++) signal.addEventListener('abort', () => {});
    await flush();
    expect(watch.warnings.filter(isMaxListenersWarning)).toHaveLength(1);
  });

  it('aborting the shared signal rejects all 10,000 calls with its reason and leaves no timer', async () => {
    const clock = new ManualClock();
    for (const [name, policy] of policies(clock)) {
      const controller = new AbortController();
      const reason = new Error(`shutdown ${name}`);
      const seen: AbortSignal[] = [];
      const calls = Array.from({ length: N }, (_, i) =>
        observe(
          policy.execute(({ signal }) => {
            if (i % 100 === 0) seen.push(signal);
            return hang();
          }, { signal: controller.signal }),
        ),
      );
      await flush();
      expect(clock.pendingTimers, name).toBeGreaterThan(0);
      controller.abort(reason);
      await flush();
      const reasons = new Set(calls.map((c) => (c.state.status === 'rejected' ? c.state.reason : c.state.status)));
      expect([...reasons], name).toEqual([reason]);
      expect(calls.every((c) => c.settledCount === 1), name).toBe(true);
      expect(seen.every((s) => s.aborted && s.reason === reason), name).toBe(true);
      expect(clock.pendingTimers, name).toBe(0);
      expect(abortListeners(controller.signal), name).toBe(0);
    }
    await flush();
    expect(watch.unhandled).toEqual([]);
  });

  it('leaves no listener after calls that time out, fail or throw', async () => {
    const clock = new ManualClock();
    const { signal } = new AbortController();
    const policy = timeout({ ms: 10, clock });
    const timedOut = observe(policy.execute(() => hang(), { signal }));
    const failed = observe(policy.execute(() => Promise.reject(new Error('x')), { signal }));
    const threw = observe(
      policy.execute(() => {
        throw new Error('sync');
      }, { signal }),
    );
    await clock.advance(10);
    expect([timedOut, failed, threw].map((c) => c.state.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(abortListeners(signal)).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a signal aborted after its calls settled affects nothing, and a new call after abort is refused', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const policy = timeout({ ms: 10, clock });
    await expect(policy.execute(() => 'done', { signal: controller.signal })).resolves.toBe('done');
    controller.abort(new Error('later'));
    await expect(policy.execute(() => 'again', { signal: controller.signal })).rejects.toThrow('later');
    expect(abortListeners(controller.signal)).toBe(0);
  });
});
