/** What the shedder does with inputs and injected dependencies that misbehave. */
import { describe, expect, it } from 'vitest';
import { isLoadShedError, loadShedder, type ExecuteOptions, type Task } from '../../src/index.js';
import { deferred, flush, handClock } from './helpers.js';

/** Whether calling `call` threw synchronously, instead of returning a promise. */
function throwsSync(call: () => unknown): boolean {
  try {
    const result = call();
    if (result instanceof Promise) result.catch(() => undefined);
    return false;
  } catch {
    return true;
  }
}

describe('loadShedder › misbehaving inputs', () => {
  it('execute(fn, null) from JavaScript runs the call like execute(fn), as every policy does', async () => {
    const shedder = loadShedder({ maxInFlight: 1 });
    expect(await shedder.execute(() => 'ok', null as unknown as ExecuteOptions)).toBe('ok');
  });

  it('a non-function is refused with the TypeError of every policy, never admitted or sampled', async () => {
    const shedder = loadShedder({ maxInFlight: 2, latency: { targetMs: 10, minSamples: 1 } });
    await expect(shedder.execute(42 as unknown as Task<number>)).rejects.toThrow('execute(): `fn` must be a function, got 42 (number)');
    await expect(shedder.execute('x' as unknown as Task<number>, { priority: 'critical' })).rejects.toThrow(TypeError);
    expect(shedder.snapshot()).toMatchObject({ admitted: 0, shed: 0, inFlight: 0 });
    // Even when the shedder refuses everything, a programming error is reported as one.
    const held = [shedder.tryAdmit('critical'), shedder.tryAdmit('critical')];
    await expect(shedder.execute(null as unknown as Task<number>)).rejects.toThrow(TypeError);
    held.forEach((p) => p?.release());
  });

  it('a random source that throws makes the call reject, never throw; no permit leaks', async () => {
    const boom = new Error('random broke');
    const shedder = loadShedder({
      pressure: () => 0.8, // inside the normal class's ramp [0.7, 0.9): a draw is needed
      ramp: 0.2,
      random: () => {
        throw boom;
      },
    });
    expect(throwsSync(() => shedder.execute(() => 1))).toBe(false);
    await expect(shedder.execute(() => 1)).rejects.toBe(boom);
    expect(shedder.inFlight).toBe(0);
  });

  it('a clock that throws at admission makes the call reject, and admits nothing', async () => {
    let broken = false;
    const clock = handClock();
    const now = clock.now.bind(clock);
    clock.now = () => {
      if (broken) throw new Error('clock broke');
      return now();
    };
    const shedder = loadShedder({ clock, maxInFlight: 1, latency: { targetMs: 10 } });
    broken = true;
    expect(throwsSync(() => shedder.execute(() => 1))).toBe(false);
    await expect(shedder.execute(() => 1)).rejects.toThrow('clock broke');
    expect(() => shedder.tryAdmit('critical')).toThrow('clock broke');
    expect(shedder.inFlight).toBe(0);
    broken = false;
    expect(await shedder.execute(() => 'ok', { priority: 'critical' })).toBe('ok');
  });

  it('recordQueueDelay refuses a non-number with a TypeError naming it', () => {
    const shedder = loadShedder({ targetQueueDelayMs: 10 });
    expect(() => shedder.recordQueueDelay('50' as unknown as number)).toThrow(TypeError);
    expect(() => shedder.recordQueueDelay(null as unknown as number)).toThrow('`delayMs` must be a finite number >= 0, got null');
    expect(shedder.pressure()).toBe(0);
  });
});

describe('loadShedder › a clock that steps backwards (failure mode 36)', () => {
  it('permit.started() after a step back records no negative wait and does not throw', () => {
    const clock = handClock();
    clock.t = 5_000;
    const shedder = loadShedder({ clock, targetQueueDelayMs: 10 });
    const permit = shedder.tryAdmit();
    clock.t = 1_000;
    expect(permit?.started()).toBe(true);
    expect(permit?.release()).toBe(true);
    expect(shedder.inFlight).toBe(0);
  });

  it('the latency window does not keep stale samples for the hour a step back lasts', () => {
    const clock = handClock();
    clock.t = 3_600_000;
    const shedder = loadShedder({ clock, latency: { targetMs: 50, windowMs: 1_000, minSamples: 5 } });
    const slowCalls = (n: number) => {
      for (let i = 0; i < n; i++) {
        const permit = shedder.tryAdmit('critical');
        clock.t += 100;
        permit?.release();
      }
    };
    slowCalls(10);
    expect(shedder.isOverloaded()).toBe(true);
    clock.t = 0; // the clock steps back an hour: how long ago the samples were is unknown
    clock.t = 1_000; // a whole window of elapsed time later (not yet an hour)
    expect(shedder.snapshot().loads.latency).toBe(0);
    expect(shedder.isOverloaded()).toBe(false);
    slowCalls(10); // and the window works on from there
    expect(shedder.isOverloaded()).toBe(true);
    clock.t += 1_000;
    expect(shedder.isOverloaded()).toBe(false);
  });

  it('the queue-delay signal does not freeze for the hour a step back lasts', () => {
    const clock = handClock();
    clock.t = 3_600_000;
    const shedder = loadShedder({ clock, targetQueueDelayMs: 10, queueDelayIntervalMs: 100 });
    shedder.recordQueueDelay(30);
    clock.t += 100;
    expect(shedder.isOverloaded()).toBe(true);
    clock.t = 0; // the clock steps back an hour
    clock.t = 250; // two whole intervals of elapsed time, with no work started
    expect(shedder.snapshot().loads.queueDelay).toBe(0);
    expect(shedder.isOverloaded()).toBe(false);
    shedder.recordQueueDelay(30); // and the intervals go on from there
    clock.t += 100;
    expect(shedder.isOverloaded()).toBe(true);
    clock.t += 100;
    expect(shedder.isOverloaded()).toBe(false);
  });

  it('small steps back inside the current slice or interval change nothing', () => {
    const clock = handClock();
    clock.t = 1_000;
    const shedder = loadShedder({ clock, targetQueueDelayMs: 10, queueDelayIntervalMs: 100, latency: { targetMs: 50, windowMs: 1_000, minSamples: 1 } });
    shedder.recordQueueDelay(30);
    const permit = shedder.tryAdmit('critical');
    clock.t = 1_080;
    permit?.release();
    clock.t = 1_050; // back 30 ms, inside the same interval and slice
    shedder.recordQueueDelay(40);
    clock.t = 1_100;
    expect(shedder.snapshot().loads).toMatchObject({ queueDelay: 3, latency: expect.closeTo(1.6, 1) as number });
  });
});

describe('loadShedder › work that misbehaves: the slot is freed exactly once, when it really settles', () => {
  it('a thenable whose then throws, or whose then getter throws', async () => {
    const shedder = loadShedder({ maxInFlight: 1, thresholds: { normal: 1 } });
    const broken = {
      then: () => {
        throw new Error('then broke');
      },
    };
    await expect(shedder.execute(() => broken as unknown as Promise<number>)).rejects.toThrow('then broke');
    expect(shedder.inFlight).toBe(0);
    const getter = Object.defineProperty({}, 'then', {
      get: () => {
        throw new Error('getter broke');
      },
    });
    await expect(shedder.execute(() => getter as Promise<number>)).rejects.toThrow('getter broke');
    expect(shedder.inFlight).toBe(0);
    expect(await shedder.execute(() => 'next')).toBe('next');
  });

  it('a thenable that settles many times settles the call once and frees one slot', async () => {
    const shedder = loadShedder({ maxInFlight: 2, thresholds: { normal: 1 } });
    const held = shedder.tryAdmit();
    const noisy = {
      then(resolve: (v: string) => void, reject: (e: unknown) => void) {
        resolve('first');
        resolve('second');
        reject(new Error('late'));
      },
    };
    expect(await shedder.execute(() => noisy as unknown as Promise<string>)).toBe('first');
    await flush();
    expect(shedder.inFlight).toBe(1); // the held permit only: never below the truth
    expect(shedder.tryAdmit()).toBeDefined();
    expect(shedder.tryAdmit()).toBeUndefined();
    held?.release();
  });

  it('a caller that aborts from inside its own function gets its reason; the slot is held until the work ends, with no short sample', async () => {
    const shedder = loadShedder({ maxInFlight: 1, latency: { targetMs: 100, minSamples: 1 } });
    const controller = new AbortController();
    const reason = new Error('changed my mind');
    const work = deferred<string>();
    const call = shedder.execute(
      () => {
        controller.abort(reason);
        return work.promise;
      },
      { signal: controller.signal, priority: 'critical' },
    );
    await expect(call).rejects.toBe(reason);
    expect(shedder.inFlight).toBe(1);
    work.resolve('ignored its signal');
    await flush();
    expect(shedder.inFlight).toBe(0);
    expect(shedder.snapshot().loads.latency).toBe(0); // no near-zero sample from an aborted call
  });
});
