import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantBackoff, retry, retryBudget, type RetryBudget } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { ofType, recordEvents, track } from './helpers.js';

describe('retry › retry budget', () => {
  it('allows floor(ratio × calls + minPerSecond × window in s) retries, then refuses without taking any (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 10, max: 60_000 }),
        fc.integer({ min: 0, max: 500 }),
        (ratio, minPerSecond, windowMs, calls) => {
          const budget = retryBudget({ ratio, minPerSecond, windowMs, clock: new ManualClock() });
          for (let i = 0; i < calls; i++) budget.recordCall();
          const allowed = Math.floor(ratio * calls + (minPerSecond * windowMs) / 1_000);
          expect(budget.snapshot()).toEqual({ calls, retries: 0, available: allowed });
          let granted = 0;
          while (granted <= allowed && budget.tryRetry()) granted++;
          expect(granted).toBe(allowed);
          expect(budget.tryRetry()).toBe(false);
          expect(budget.snapshot()).toEqual({ calls, retries: allowed, available: 0 });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('old calls and retries stop counting after windowMs, by the clock; an idle hour leaves nothing stale', async () => {
    const clock = new ManualClock();
    const budget = retryBudget({ ratio: 0.5, minPerSecond: 0, windowMs: 10_000, clock });
    for (let i = 0; i < 10; i++) budget.recordCall();
    expect(budget.tryRetry()).toBe(true);
    await clock.advance(9_999);
    expect(budget.snapshot()).toEqual({ calls: 10, retries: 1, available: 4 });
    await clock.advance(1);
    expect(budget.snapshot()).toEqual({ calls: 0, retries: 0, available: 0 });
    expect(budget.tryRetry()).toBe(false);
    for (let i = 0; i < 4; i++) budget.recordCall();
    await clock.advance(3_600_000);
    expect(budget.snapshot()).toEqual({ calls: 0, retries: 0, available: 0 });
  });

  it('the sliding window matches a model of its ten buckets for any stream of calls, retries and idle gaps (property)', () => {
    const op = fc.oneof(
      fc.constant({ kind: 'call' as const }),
      fc.constant({ kind: 'retry' as const }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 100_000 })) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.double({ min: 0, max: 2, noNaN: true }), fc.integer({ min: 0, max: 5 }), (ops, ratio, minPerSecond) => {
        let now = 0;
        const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
        const windowMs = 10_000;
        const budget = retryBudget({ ratio, minPerSecond, windowMs, clock });
        // Model: every event with its bucket; it counts while its bucket is one of the latest ten.
        const model: { bucket: number; kind: 'call' | 'retry' }[] = [];
        const live = (kind: 'call' | 'retry') => model.filter((e) => e.kind === kind && e.bucket > Math.floor(now / 1_000) - 10).length;
        for (const o of ops) {
          if (o.kind === 'wait') now += o.ms;
          else if (o.kind === 'call') {
            budget.recordCall();
            model.push({ bucket: Math.floor(now / 1_000), kind: 'call' });
          } else {
            const allowed = live('retry') + 1 <= ratio * live('call') + (minPerSecond * windowMs) / 1_000;
            expect(budget.tryRetry()).toBe(allowed);
            if (allowed) model.push({ bucket: Math.floor(now / 1_000), kind: 'retry' });
          }
          const snap = budget.snapshot();
          expect([snap.calls, snap.retries]).toEqual([live('call'), live('retry')]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('when the budget is spent the original error is thrown at once and a retry.giveup with reason budget is emitted', async () => {
    const clock = new ManualClock();
    const { events, seen } = recordEvents();
    const budget = retryBudget({ ratio: 0, minPerSecond: 0, clock });
    const original = new Error('down');
    let calls = 0;
    const call = track(retry({ clock, events, budget, maxAttempts: 5, backoff: constantBackoff(1_000) }).execute(() => (calls++, Promise.reject(original))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.now()).toBe(0);
    expect(call.reason).toBe(original);
    expect(calls).toBe(1);
    expect(ofType(seen, 'retry')).toEqual([]);
    expect(ofType(seen, 'retry.giveup').map((e) => [e.reason, e.attempts, e.outcome])).toEqual([['budget', 1, { ok: false, error: original, attempt: 1 }]]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('one budget is shared by two retry policies: retries spent by one are missing for the other', async () => {
    const clock = new ManualClock();
    const { events, seen } = recordEvents();
    const budget = retryBudget({ ratio: 0, minPerSecond: 1, windowMs: 10_000, clock }); // 10 retries per window, in all
    const reads = retry({ clock, events, budget, name: 'reads', maxAttempts: 20, backoff: constantBackoff(10) });
    const writes = retry({ clock, events, budget, name: 'writes', maxAttempts: 20, backoff: constantBackoff(10) });
    let readCalls = 0;
    let writeCalls = 0;
    const read = track(reads.execute(() => (readCalls++, Promise.reject(new Error('read')))));
    await clock.runAll();
    const write = track(writes.execute(() => (writeCalls++, Promise.reject(new Error('write')))));
    await clock.runAll();
    expect([read.state, write.state]).toEqual(['rejected', 'rejected']);
    expect([readCalls, writeCalls]).toEqual([11, 1]);
    expect(ofType(seen, 'retry.giveup').map((e) => [e.name, e.reason])).toEqual([
      ['reads', 'budget'],
      ['writes', 'budget'],
    ]);
    expect(budget.snapshot()).toMatchObject({ calls: 2, retries: 10 });
  });

  it('failure mode 22: nested retries against a dead backend make at most the budgeted calls (9x without a budget)', async () => {
    const clock = new ManualClock();
    const run = async (budget: RetryBudget | undefined): Promise<number> => {
      let downstream = 0;
      const options = { clock, maxAttempts: 3, backoff: constantBackoff(100), ...(budget === undefined ? {} : { budget }) };
      const inner = retry(options);
      const outer = retry(options);
      const dead = () => (downstream++, Promise.reject(new Error('dead')));
      const calls = Array.from({ length: 1_000 }, () => track(outer.execute(() => inner.execute(dead))));
      await clock.runAll();
      expect(calls.every((c) => c.state === 'rejected')).toBe(true);
      return downstream;
    };
    expect(await run(undefined)).toBe(9_000);
    const budget = retryBudget({ ratio: 0.1, minPerSecond: 0, clock });
    const downstream = await run(budget);
    const { calls, retries } = budget.snapshot();
    // Every downstream call is an inner first attempt (one per recorded inner call) or a budgeted retry.
    expect(retries).toBeLessThanOrEqual(0.1 * calls);
    expect(downstream).toBeLessThanOrEqual(1_000 + 0.1 * calls);
    expect(downstream).toBeLessThan(1_250);
  });

  it('state is fixed-size: 10^6 calls and retries in one window do not grow the heap (a timestamp log would)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heapAfter = (work: () => void): number => {
      gc();
      const before = process.memoryUsage().heapUsed;
      work();
      gc();
      return process.memoryUsage().heapUsed - before;
    };
    const clock = new ManualClock();
    const budget = retryBudget({ ratio: 0.2, minPerSecond: 10, clock });
    let kept: RetryBudget = budget;
    const grown = heapAfter(() => {
      for (let i = 0; i < 1_000_000; i++) {
        budget.recordCall();
        budget.tryRetry();
      }
    });
    expect(budget.snapshot()).toMatchObject({ calls: 1_000_000, retries: 200_100 });
    expect(grown).toBeLessThan(1_000_000);
    // Negative control: a budget that logs timestamps holds 10^6 of them (>= 8 MB).
    const times: number[] = [];
    const naive: RetryBudget = {
      ratio: 0.2,
      minPerSecond: 10,
      windowMs: 10_000,
      recordCall: () => void times.push(clock.now()),
      tryRetry: () => true,
      snapshot: () => ({ calls: times.length, retries: 0, available: 0 }),
    };
    kept = naive;
    const naiveGrown = heapAfter(() => {
      for (let i = 0; i < 1_000_000; i++) kept.recordCall();
    });
    expect(naiveGrown).toBeGreaterThan(4_000_000);
    expect(kept.snapshot().calls).toBe(1_000_000);
  });
});
