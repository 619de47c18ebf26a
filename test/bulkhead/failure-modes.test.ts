/** The failure modes of failure-modes.md that apply to a bulkhead, each by its number. */
import { describe, expect, it, vi } from 'vitest';
import {
  bulkhead,
  createEventHub,
  isBulkheadRejectedError,
  isTimeoutError,
  pipeline,
  retry,
  sleep,
  timeout,
  type AttemptContext,
} from '../../src/index.js';
import { ManualClock, seededRandom } from '../../src/testing.js';
import { abortListeners, deferred, tick, track, type Deferred } from '../queue/track.js';

/** A task of `ms` on `clock` that ignores its signal, counting how many run at once. */
function stubbornTasks(clock: ManualClock, ms: number) {
  const state = { running: 0, max: 0, started: 0, finished: 0 };
  const task = async (): Promise<string> => {
    state.started++;
    state.running++;
    state.max = Math.max(state.max, state.running);
    await sleep(ms, { clock });
    state.running--;
    state.finished++;
    return 'done';
  };
  return { task, state };
}

describe('bulkhead › failure modes', () => {
  it('failure mode 26: a bulkhead of 2 inside a 10 ms timeout holds its permits while abandoned 1 s tasks still run', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const late = { fulfilled: 0, rejected: 0 };
    events.on('timeout.late', (e) => void late[e.outcome]++);
    const deadline = timeout({ ms: 10, clock, events });
    const permits = bulkhead({ limit: 2, queue: { capacity: 100 }, clock });
    const policy = pipeline(deadline, permits);
    const { task, state } = stubbornTasks(clock, 1_000);
    const calls: Array<ReturnType<typeof track<string>>> = [];
    // A new call every 10 ms for 3 s: each is given up at its 10 ms deadline.
    for (let t = 0; t < 3_000; t += 10) {
      calls.push(track(policy.execute(task)));
      await clock.advance(10);
      expect(state.running).toBeLessThanOrEqual(2);
      expect(permits.active).toBe(state.running);
    }
    await clock.runAll();
    expect(state.max).toBe(2);
    expect(calls.every((c) => c.state === 'rejected' && isTimeoutError(c.error))).toBe(true);
    // Each abandoned call is reported once when it settles: the tasks that really ran when they
    // finished, the calls that were still waiting for a permit when they left the queue.
    expect(state.started).toBe(state.finished);
    expect(late.fulfilled).toBe(state.started);
    expect(late.fulfilled + late.rejected).toBe(calls.length);
    expect(deadline.abandoned).toBe(0);
    expect([permits.active, permits.queued, clock.pendingTimers]).toEqual([0, 0, 0]);
  });

  it('failure mode 26 (other order): with the timeout inside the bulkhead, real concurrency stays within limit + the timeout\'s abandoned gauge, each abandoned task reported', async () => {
    // Documented in docs/bulkhead.md: a timeout inside the bulkhead settles the bulkhead's call
    // at its deadline, so the permit is released then; the work it abandoned is what
    // `timeout.abandoned` counts and `timeout.late` reports. Put the timeout outside to bound it.
    const clock = new ManualClock();
    const events = createEventHub();
    let late = 0;
    events.on('timeout.late', () => void late++);
    const deadline = timeout({ ms: 10, clock, events });
    const permits = bulkhead({ limit: 2, queue: { capacity: 100 }, clock });
    const policy = pipeline(permits, deadline);
    const { task, state } = stubbornTasks(clock, 1_000);
    for (let t = 0; t < 500; t += 10) {
      void policy.execute(task).catch(() => undefined);
      await clock.advance(10);
      expect(state.running).toBeLessThanOrEqual(permits.limit + deadline.abandoned);
      expect(permits.active).toBeLessThanOrEqual(2);
    }
    await clock.runAll();
    expect(late).toBe(state.started);
    expect([deadline.abandoned, permits.active, permits.queued, clock.pendingTimers]).toEqual([0, 0, 0, 0]);
  });

  it('failure mode 27: 10,000 callers aborting at random points on a bulkhead of 8 leak nothing: afterwards 8 calls are admitted at once', async () => {
    const clock = new ManualClock({ maxTimersPerRun: 1_000_000 });
    const random = seededRandom(27);
    const policy = bulkhead({ limit: 8, queue: { capacity: 10_000 }, clock });
    const count = { started: 0, running: 0, max: 0 };
    const outcomes: Array<Promise<unknown>> = [];
    const controllers: AbortController[] = [];
    const startedIds = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const controller = new AbortController();
      controllers.push(controller);
      const ms = 1 + Math.floor(random() * 5);
      const honoursAbort = random() < 0.5;
      const abortWhileRunning = random() < 0.2;
      const fn = async (ctx: AttemptContext): Promise<number> => {
        // Some callers abort at a random point of their own run, the others at a random time.
        if (abortWhileRunning) clock.setTimeout(() => controller.abort(`abort ${i}`), Math.floor(random() * ms));
        startedIds.add(i);
        count.started++;
        count.running++;
        count.max = Math.max(count.max, count.running);
        try {
          await sleep(ms, honoursAbort ? { clock, signal: ctx.signal } : { clock });
          return i;
        } finally {
          count.running--;
        }
      };
      if (random() < 0.02) controller.abort('early'); // some are aborted before they call
      outcomes.push(policy.execute(fn, { signal: controller.signal }).catch((e: unknown) => e));
      const abortAt = Math.floor(random() * 6_000);
      clock.setTimeout(() => controller.abort(`abort ${i}`), abortAt);
    }
    await clock.runAll();
    const settled = await Promise.all(outcomes);
    expect(settled.filter((o) => typeof o === 'number').length).toBeGreaterThan(100);
    const aborted = settled.flatMap((o, i) => (typeof o === 'string' && o.startsWith('abort') ? [i] : []));
    expect(aborted.filter((i) => !startedIds.has(i)).length).toBeGreaterThan(100); // while queued
    expect(aborted.filter((i) => startedIds.has(i)).length).toBeGreaterThan(10); // while running
    expect(settled.filter((o) => o === 'early').length).toBeGreaterThan(10); // before calling
    expect(count.max).toBe(8);
    expect(count.running).toBe(0);
    expect([policy.active, policy.queued, clock.pendingTimers]).toEqual([0, 0, 0]);
    expect(controllers.every((c) => abortListeners(c.signal) === 0)).toBe(true);
    // Capacity is whole: 8 calls start at once, the 9th waits.
    const gates: Array<Deferred<void>> = [];
    const hold = (): Promise<void> => {
      const d = deferred();
      gates.push(d);
      return d.promise;
    };
    const fresh = Array.from({ length: 9 }, () => policy.execute(hold));
    expect(gates).toHaveLength(8);
    expect([policy.active, policy.queued]).toEqual([8, 1]);
    for (const g of gates) g.resolve();
    await tick();
    gates[8]?.resolve();
    await Promise.all(fresh);
    expect([policy.active, policy.queued]).toEqual([0, 0]);
  });

  it('failure mode 28: a thenable that settles twice releases its permit once', async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 5 } });
    const twice: PromiseLike<string> = {
      then(onFulfilled, onRejected) {
        onFulfilled?.('first');
        onFulfilled?.('second');
        onRejected?.(new Error('third'));
        return Promise.resolve() as never;
      },
    };
    await expect(policy.execute(() => twice)).resolves.toBe('first');
    expect(policy.active).toBe(0);
    const d = deferred<string>();
    const holding = policy.execute(() => d.promise);
    const waiting = track(policy.execute(() => 'next'));
    await tick();
    expect([policy.active, policy.queued, waiting.state]).toEqual([1, 1, 'pending']);
    d.resolve('held');
    await holding;
    await tick();
    expect(waiting.value).toBe('next');
    expect(policy.active).toBe(0);
  });

  it('failure mode 29: 1,000 queued callers aborted through one signal all settle within a tick, none of them runs', async () => {
    const policy = bulkhead({ limit: 1, queue: { capacity: 1_000 } });
    const d = deferred<string>();
    void policy.execute(() => d.promise);
    const controller = new AbortController();
    let ran = 0;
    const waiting = Array.from({ length: 1_000 }, () => track(policy.execute(() => void ran++, { signal: controller.signal })));
    expect(policy.queued).toBe(1_000);
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort('shutdown');
    await tick();
    expect(waiting.every((w) => w.state === 'rejected' && w.error === 'shutdown')).toBe(true);
    expect(policy.queued).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
    d.resolve('done');
    await tick();
    expect(ran).toBe(0);
    expect(policy.active).toBe(0);
  });

  it('failure mode 4: one long-lived signal through 10,000 successful retry∘timeout∘bulkhead calls leaves no listener and no warning', async () => {
    const clock = new ManualClock();
    const policy = pipeline(retry({ clock }), timeout({ ms: 1_000, clock }), bulkhead({ limit: 10, queue: { capacity: 1_000 }, clock }));
    const signal = new AbortController().signal;
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      for (let batch = 0; batch < 10; batch++) {
        const calls = Array.from({ length: 1_000 }, (_, i) => policy.execute(async () => i, { signal }));
        expect(abortListeners(signal)).toBeLessThanOrEqual(1);
        await Promise.all(calls);
      }
      await tick();
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
    expect(abortListeners(signal)).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('failure mode 8: an abort placed anywhere around admission: the function never starts with an aborted signal and no permit leaks', async () => {
    // Every position of the abort relative to the permit holder's completion, in microtask steps.
    const seen = new Set<string>();
    for (let steps = 0; steps < 12; steps++) {
      const policy = bulkhead({ limit: 1, queue: { capacity: 1 } });
      const d = deferred<string>();
      void policy.execute(() => d.promise);
      const controller = new AbortController();
      let ranAborted = false;
      let ran = false;
      const call = track(
        policy.execute(
          (ctx) => {
            ran = true;
            ranAborted = ctx.signal.aborted;
            return 'ran';
          },
          { signal: controller.signal },
        ),
      );
      d.resolve('free');
      for (let i = 0; i < steps; i++) await Promise.resolve();
      controller.abort('late');
      await tick();
      expect(ranAborted).toBe(false);
      // Aborted before its permit: it never ran. After: it ran, and settles with its value or,
      // if the abort came before the caller's promise settled, with the reason.
      if (!ran) expect(call.error).toBe('late');
      else expect(call.value === 'ran' || call.error === 'late').toBe(true);
      expect([policy.active, policy.queued]).toEqual([0, 0]);
      seen.add(ran ? 'ran' : 'never ran');
    }
    expect(seen).toEqual(new Set(['ran', 'never ran']));
  });

  it('failure mode 32: 10^5 random operations with throwing tasks and listeners keep admitted = done + failed + running (aborted callers\' work included)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const random = seededRandom(32);
    const events = createEventHub({ onListenerError: () => undefined });
    events.onAny(() => {
      throw new Error('listener bug');
    });
    const policy = bulkhead({ limit: 4, queue: { capacity: 16, overflow: 'drop-oldest' }, events });
    const tally = { admitted: 0, done: 0, failed: 0, aborted: 0, refused: 0 };
    const running: Array<{ d: Deferred<number>; controller: AbortController; settled: boolean }> = [];
    const waiting: AbortController[] = [];
    const outcomes: Array<Promise<void>> = [];
    for (let op = 0; op < 100_000; op++) {
      const roll = random();
      if (roll < 0.4) {
        const controller = new AbortController();
        const kind = random();
        waiting.push(controller);
        const fn = (): number | Promise<number> => {
          tally.admitted++;
          if (kind < 0.2) return tally.done++;
          if (kind < 0.3) {
            tally.failed++;
            throw new Error('sync failure');
          }
          const d = deferred<number>();
          const entry = { d, controller, settled: false };
          running.push(entry);
          d.promise.then(
            () => void tally.done++,
            () => void tally.failed++,
          );
          return d.promise;
        };
        outcomes.push(
          policy.execute(fn, { signal: controller.signal }).then(
            () => undefined,
            (e: unknown) => {
              if (isBulkheadRejectedError(e)) tally.refused++;
              else if (e === 'abort') tally.aborted++;
            },
          ),
        );
      } else if (roll < 0.7 && running.length > 0) {
        const entry = running.splice(Math.floor(random() * running.length), 1)[0];
        if (entry !== undefined) {
          if (random() < 0.7) entry.d.resolve(op);
          else entry.d.reject(new Error('async failure'));
        }
      } else if (waiting.length > 0) {
        waiting.splice(Math.floor(random() * waiting.length), 1)[0]?.abort('abort');
      }
      if (policy.active > 4 || policy.active < 0 || policy.queued > 16) expect.fail(`step ${op}: active ${policy.active}, queued ${policy.queued}`);
      if (op % 500 === 0) {
        await tick();
        const settledRuns = tally.done + tally.failed;
        if (tally.admitted !== settledRuns + running.length) expect.fail(`step ${op}: admitted ${tally.admitted} != ${settledRuns} + ${running.length}`);
      }
    }
    while (running.length > 0 || policy.queued > 0) {
      for (const entry of running.splice(0)) entry.d.resolve(0);
      await tick();
    }
    await Promise.all(outcomes);
    expect(tally.admitted).toBe(tally.done + tally.failed);
    expect(tally.refused).toBeGreaterThan(0);
    expect([policy.active, policy.queued]).toEqual([0, 0]);
  });
});
