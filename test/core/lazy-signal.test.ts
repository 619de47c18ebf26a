import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { constantBackoff, pipeline, retry, timeout, type AttemptContext, type Policy } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { countAbortControllers, type ControllerCount } from '../helpers/process-watch.js';

// The attempt's AbortSignal costs an AbortController (~2.7 µs) and aborting it ~15 µs: it is
// created only when fn reads ctx.signal, and never aborted on success.

let count: ControllerCount;
let callerSignal: AbortSignal;

beforeEach(() => {
  callerSignal = new AbortController().signal; // made before counting starts
  count = countAbortControllers();
});
afterEach(() => {
  count.restore();
});

function policies(clock: ManualClock): Array<[string, Policy]> {
  return [
    ['timeout', timeout({ ms: 100, clock })],
    ['pipeline(timeout, timeout)', pipeline(timeout({ ms: 100, clock }), timeout({ ms: 50, clock }))],
    ['pipeline(retry, timeout)', pipeline(retry({ clock }), timeout({ ms: 50, clock }))],
    ['pipeline()', pipeline()],
    ['nested pipelines', pipeline(pipeline(retry({ clock })), pipeline(timeout({ ms: 50, clock })))],
  ];
}

describe('lazy attempt signal', () => {
  it('the counter sees AbortControllers made by the code under test', () => {
    const controller = new AbortController();
    controller.abort();
    expect([count.created, count.aborted]).toEqual([1, 1]);
  });

  it('creates no AbortController when fn never reads ctx.signal, with or without a caller signal', async () => {
    const clock = new ManualClock();
    for (const [name, policy] of policies(clock)) {
      await expect(policy.execute(() => name), name).resolves.toBe(name);
      await expect(policy.execute(async ({ attempt }) => attempt, { signal: callerSignal }), name).resolves.toBe(1);
      const failing = expect(policy.execute(() => Promise.reject(new Error('no signal read'))), name).rejects.toThrow('no signal read');
      await clock.runAll(); // retry's backoff waits
      await failing;
    }
    expect(count.created).toBe(0);
  });

  it('creates no AbortController for a failing attempt that is retried', async () => {
    const clock = new ManualClock();
    const policy = pipeline(retry({ clock, maxAttempts: 3, backoff: constantBackoff(0) }), timeout({ ms: 50, clock }));
    let calls = 0;
    await expect(policy.execute(() => (++calls < 3 ? Promise.reject(new Error('flaky')) : 'ok'))).resolves.toBe('ok');
    expect(calls).toBe(3);
    expect(count.created).toBe(0);
  });

  it('creates exactly one AbortController per attempt that reads ctx.signal, and never aborts it on success', async () => {
    const clock = new ManualClock();
    for (const [name, policy] of policies(clock)) {
      const before = count.created;
      const signals: AbortSignal[] = [];
      const read = (ctx: AttemptContext): string => {
        signals.push(ctx.signal, ctx.signal); // the same signal on a second read
        return 'ok';
      };
      await policy.execute(read);
      await policy.execute(read, { signal: callerSignal });
      expect(count.created - before, name).toBe(2);
      expect(signals[0], name).toBe(signals[1]);
      expect(signals.every((s) => !s.aborted), name).toBe(true);
    }
    expect(count.aborted).toBe(0);
  });

  it('a signal read after its attempt was aborted is born aborted with the reason', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let context: AttemptContext | undefined;
    const call = timeout({ ms: 100, clock }).execute(
      (ctx) => {
        context = ctx;
        return new Promise(() => {});
      },
      { signal: controller.signal },
    );
    const reason = new Error('gone');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(count.created).toBe(1); // only the caller's own controller
    expect(context?.signal.aborted).toBe(true);
    expect(context?.signal.reason).toBe(reason);
  });
});
