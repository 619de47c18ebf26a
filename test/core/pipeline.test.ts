import { describe, expect, it } from 'vitest';
import {
  constantBackoff,
  createEventHub,
  pipeline,
  retry,
  timeout,
  TimeoutError,
  type AttemptContext,
  type ExecuteOptions,
  type Policy,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush, hang, observe } from '../helpers/deferred.js';
import { abortListeners } from '../helpers/process-watch.js';

/** A foreign policy (not crackstop's): logs around the call and records the options it got. */
function recorder(name: string, log: string[], received: Array<ExecuteOptions | undefined> = []): Policy {
  return {
    async execute<T>(fn: (context: AttemptContext) => T | PromiseLike<T>, options?: ExecuteOptions): Promise<T> {
      received.push(options);
      log.push(`${name}:start`);
      try {
        return await fn({ signal: options?.signal ?? new AbortController().signal, attempt: 1 });
      } finally {
        log.push(`${name}:end`);
      }
    },
  };
}

describe('pipeline', () => {
  it('runs the layers outermost first', async () => {
    const log: string[] = [];
    const policy = pipeline(recorder('a', log), recorder('b', log), recorder('c', log));
    const result = await policy.execute(() => {
      log.push('fn');
      return 'value';
    });
    expect(result).toBe('value');
    expect(log).toEqual(['a:start', 'b:start', 'c:start', 'fn', 'c:end', 'b:end', 'a:end']);
  });

  it('with no policy just runs fn, with attempt 1 and a working signal', async () => {
    const controller = new AbortController();
    let context: AttemptContext | undefined;
    await expect(
      pipeline().execute((ctx) => {
        context = ctx;
        return 7;
      }),
    ).resolves.toBe(7);
    expect(context?.attempt).toBe(1);
    const reason = new Error('stop');
    const call = pipeline().execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('inner')))), {
      signal: controller.signal,
    });
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('passes the retry attempt number through to inner layers and fn', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const timeoutAttempts: number[] = [];
    events.on('timeout', (e) => timeoutAttempts.push(e.attempt));
    const seen: number[] = [];
    const policy = pipeline(retry({ clock, events, maxAttempts: 3, backoff: constantBackoff(5) }), timeout({ clock, events, ms: 10 }));
    const call = observe(
      policy.execute(({ attempt }) => {
        seen.push(attempt);
        return attempt < 3 ? hang() : 'third time';
      }),
    );
    await clock.advance(100);
    expect(call.state).toEqual({ status: 'fulfilled', value: 'third time' });
    expect(seen).toEqual([1, 2, 3]);
    expect(timeoutAttempts).toEqual([1, 2]);
  });

  it('an outer timeout bounds all inner retries together', async () => {
    const clock = new ManualClock();
    let attempts = 0;
    const policy = pipeline(timeout({ clock, ms: 100 }), retry({ clock, maxAttempts: 100, backoff: constantBackoff(30) }));
    const call = observe(
      policy.execute(() => {
        attempts++;
        return Promise.reject(new Error('down'));
      }),
    );
    await clock.advance(100);
    expect(call.state.status === 'rejected' && call.state.reason).toBeInstanceOf(TimeoutError);
    expect(attempts).toBe(4); // at 0, 30, 60, 90
    await clock.advance(1_000);
    expect(attempts).toBe(4); // the outer timeout stopped the retry: no attempt after it
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives a foreign layer a real signal that aborts when an outer layer gives up, and inner layers abort too', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const received: Array<ExecuteOptions | undefined> = [];
    let fnSignal: AbortSignal | undefined;
    const policy = pipeline(timeout({ clock, ms: 10 }), recorder('foreign', log, received), timeout({ clock, ms: 1_000 }));
    const call = observe(
      policy.execute(({ signal }) => {
        fnSignal = signal;
        return hang();
      }),
    );
    await flush();
    const foreignSignal = received[0]?.signal;
    expect(foreignSignal).toBeInstanceOf(AbortSignal);
    expect(foreignSignal?.aborted).toBe(false);
    await clock.advance(10);
    expect(call.state.status === 'rejected' && call.state.reason).toBeInstanceOf(TimeoutError);
    expect(foreignSignal?.aborted).toBe(true);
    expect(foreignSignal?.reason).toBeInstanceOf(TimeoutError);
    expect(fnSignal?.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0); // the inner 1,000 ms timer was cleared when it aborted
  });

  it('inner layers abort when a foreign layer aborts its own signal', async () => {
    const clock = new ManualClock();
    const reason = new Error('foreign gave up');
    const foreign: Policy = {
      execute<T>(fn: (context: AttemptContext) => T | PromiseLike<T>): Promise<T> {
        const controller = new AbortController();
        clock.setTimeout(() => controller.abort(reason), 20);
        return Promise.resolve(fn({ signal: controller.signal, attempt: 1 }));
      },
    };
    let fnSignal: AbortSignal | undefined;
    const call = observe(
      pipeline(foreign, timeout({ clock, ms: 1_000 })).execute(({ signal }) => {
        fnSignal = signal;
        return hang();
      }),
    );
    await clock.advance(20);
    expect(call.state.status === 'rejected' && call.state.reason).toBe(reason);
    expect(fnSignal?.reason).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a caller abort reaches fn through a foreign layer and rejects with the caller reason', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const reason = new Error('caller');
    let fnSignal: AbortSignal | undefined;
    const call = observe(
      pipeline(timeout({ clock, ms: 100 }), recorder('foreign', []), timeout({ clock, ms: 100 })).execute(
        ({ signal }) => {
          fnSignal = signal;
          return hang();
        },
        { signal: controller.signal },
      ),
    );
    await flush();
    controller.abort(reason);
    await flush();
    expect(call.state.status === 'rejected' && call.state.reason).toBe(reason);
    expect(fnSignal?.reason).toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('nests: a pipeline of pipelines runs in the same order and bounds like the flat one', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const nested = pipeline(pipeline(recorder('a', log), recorder('b', log)), pipeline(recorder('c', log), timeout({ clock, ms: 10 })));
    await expect(nested.execute(() => (log.push('fn'), 1))).resolves.toBe(1);
    expect(log).toEqual(['a:start', 'b:start', 'c:start', 'fn', 'c:end', 'b:end', 'a:end']);
    const call = observe(nested.execute(() => hang()));
    await clock.advance(10);
    expect(call.state.status === 'rejected' && call.state.reason).toBeInstanceOf(TimeoutError);
  });

  it('rejects (never throws) when fn throws synchronously, with or without layers', async () => {
    const error = new Error('sync');
    const throwing = (): never => {
      throw error;
    };
    for (const policy of [pipeline(), pipeline(timeout({ ms: 10, clock: new ManualClock() })), pipeline(recorder('x', []))]) {
      let result: Promise<unknown> | undefined;
      expect(() => (result = policy.execute(throwing))).not.toThrow();
      await expect(result).rejects.toBe(error);
    }
  });

  it('keeps its own copy of the layers: changing the array afterwards changes nothing', async () => {
    const log: string[] = [];
    const layers = [recorder('a', log), recorder('b', log)];
    const policy = pipeline(...layers);
    layers.reverse();
    await policy.execute(() => 0);
    expect(log).toEqual(['a:start', 'b:start', 'b:end', 'a:end']);
  });
});
