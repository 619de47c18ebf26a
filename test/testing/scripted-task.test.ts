import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { AttemptContext } from '../../src/index.js';
import { ManualClock, scriptedTask, type FaultStep } from '../../src/testing.js';
import { flush, track } from '../retry/helpers.js';

const boom = new Error('boom');

/** An attempt context with a real signal, as a policy would give. */
function context(attempt = 1, signal: AbortSignal = new AbortController().signal): AttemptContext {
  return { attempt, signal };
}

describe('testing › scriptedTask', () => {
  it('call n follows step n on the clock: values and the very error objects, each after its latency', async () => {
    const clock = new ManualClock();
    const steps: FaultStep<Error, string>[] = [
      { kind: 'fail', latencyMs: 100, error: boom },
      { kind: 'succeed', latencyMs: 30, value: 'second' },
    ];
    const downstream = scriptedTask(steps, { clock });
    const first = track(downstream.run(context(1)));
    const second = track(downstream.run(context(2)));
    expect([downstream.calls, downstream.active, clock.pendingTimers]).toEqual([2, 2, 2]);
    await clock.advance(29);
    expect([first.state, second.state]).toEqual(['pending', 'pending']);
    await clock.advance(1);
    expect(second.value).toBe('second');
    await clock.advance(70);
    expect(first.reason).toBe(boom);
    expect(downstream.active).toBe(0);
    expect(downstream.log.map((c) => [c.call, c.attempt, c.outcome, c.startedAt, c.settledAt])).toEqual([
      [1, 1, 'failed', 0, 100],
      [2, 2, 'succeeded', 0, 30],
    ]);
  });

  it('once the steps run out the last one repeats (a dead backend is one fail step)', async () => {
    const clock = new ManualClock();
    const downstream = scriptedTask([{ kind: 'fail', latencyMs: 0, error: boom }], { clock });
    const calls = [1, 2, 3].map((n) => track(downstream.run(context(n))));
    await flush();
    expect(calls.map((c) => c.reason)).toEqual([boom, boom, boom]);
  });

  it('a latency of 0 settles without a timer', async () => {
    const clock = new ManualClock();
    const downstream = scriptedTask([{ kind: 'succeed', latencyMs: 0, value: 7 }], { clock });
    const call = track(downstream.run(context()));
    expect(clock.pendingTimers).toBe(0);
    await flush();
    expect(call.value).toBe(7);
  });

  it('a hang settles only when its signal aborts: with the reason, leaving no timer and no listener', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const downstream = scriptedTask([{ kind: 'hang' }], { clock });
    const call = track(downstream.run(context(1, controller.signal)));
    await clock.advance(3_600_000);
    expect(call.state).toBe('pending');
    expect(downstream.active).toBe(1);
    const reason = new Error('deadline');
    controller.abort(reason);
    await flush();
    expect(call.reason).toBe(reason);
    expect(downstream.log[0]?.outcome).toBe('aborted');
    expect(downstream.active).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an abort during a latency clears the timer and rejects at once; a finished call removes its listener', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const downstream = scriptedTask([{ kind: 'succeed', latencyMs: 500, value: 'late' }], { clock });
    const done = track(downstream.run(context(1, controller.signal)));
    await clock.advance(500);
    expect(done.value).toBe('late');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const call = track(downstream.run(context(2, controller.signal)));
    await clock.advance(100);
    controller.abort('stop');
    await flush();
    expect(call.reason).toBe('stop');
    expect(clock.pendingTimers).toBe(0);
    expect(downstream.log[1]?.settledAt).toBe(600);
  });

  it('an already aborted signal rejects at once, even for a zero-latency step', async () => {
    const clock = new ManualClock();
    const downstream = scriptedTask([{ kind: 'succeed', latencyMs: 0, value: 1 }], { clock });
    const call = track(downstream.run(context(1, AbortSignal.abort('gone'))));
    await flush();
    expect(call.reason).toBe('gone');
    expect(downstream.log[0]?.outcome).toBe('aborted');
  });

  it('ignoresAbort models a dependency that ignores cancellation: latencies run on, a hang never settles', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const downstream = scriptedTask<Error, string>(
      [
        { kind: 'succeed', latencyMs: 200, value: 'anyway' },
        { kind: 'hang' },
      ],
      { clock, ignoresAbort: true },
    );
    const slow = track(downstream.run(context(1, controller.signal)));
    const stuck = track(downstream.run(context(2, controller.signal)));
    controller.abort('stop');
    await clock.runAll();
    expect(slow.value).toBe('anyway');
    expect(stuck.state).toBe('pending');
    expect(downstream.active).toBe(1);
    expect(downstream.log.map((c) => c.outcome)).toEqual(['succeeded', 'pending']);
  });

  it('rejects bad arguments with typed errors', () => {
    const clock = new ManualClock();
    expect(() => scriptedTask([], { clock })).toThrow(RangeError);
    expect(() => scriptedTask('fail' as never, { clock })).toThrow(TypeError);
    expect(() => scriptedTask([{ kind: 'hang' }], {} as never)).toThrow(/`clock` is required/);
    expect(() => scriptedTask([{ kind: 'hang' }], { clock, ignoresAbort: 1 as never })).toThrow(TypeError);
    expect(() => scriptedTask([{ kind: 'hang' }], { clock, latency: 1 } as never)).toThrow(/unknown option `latency`/);
  });
});
