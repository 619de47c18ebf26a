import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSystemClock, systemClock, timeout, TimeoutError } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush, hang, observe } from '../helpers/deferred.js';
import { watchProcess } from '../helpers/process-watch.js';

const MAX = 2 ** 31 - 1;
const hour = 3_600_000;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Fake the runtime's timers and Date, but not performance.now (the clock's time source). */
function fakeTimers(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}

describe('systemClock', () => {
  it('splits a delay longer than 2^31-1 ms into consecutive timers instead of clamping it', () => {
    fakeTimers();
    const clock = createSystemClock();
    let fired = 0;
    clock.setTimeout(() => fired++, MAX + 1_000);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(0); // clamped to 1 ms, it would have fired here
    vi.advanceTimersByTime(MAX - 1);
    expect(fired).toBe(0);
    expect(vi.getTimerCount()).toBe(1); // the remainder is armed
    vi.advanceTimersByTime(999);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fires a 2^33 ms delay once, after all its chunks', () => {
    fakeTimers();
    const clock = createSystemClock();
    let fired = 0;
    clock.setTimeout(() => fired++, 2 ** 33);
    vi.advanceTimersByTime(2 ** 33 - 1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(2 ** 33);
    expect(fired).toBe(1);
  });

  it('clears a long timer in any chunk, leaving no native timer', () => {
    fakeTimers();
    const clock = createSystemClock();
    let fired = 0;
    const before = clock.setTimeout(() => fired++, MAX * 3);
    clock.clearTimeout(before);
    expect(vi.getTimerCount()).toBe(0);
    const during = clock.setTimeout(() => fired++, MAX * 3);
    vi.advanceTimersByTime(MAX + 10); // now in the second chunk
    expect(vi.getTimerCount()).toBe(1);
    clock.clearTimeout(during);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(MAX * 3);
    expect(fired).toBe(0);
  });

  it('treats negative and NaN delays as 0', () => {
    fakeTimers();
    const clock = createSystemClock();
    let fired = 0;
    clock.setTimeout(() => fired++, -5);
    clock.setTimeout(() => fired++, NaN);
    vi.advanceTimersByTime(0);
    expect(fired).toBe(2);
  });

  it('never emits a TimeoutOverflowWarning, while the native setTimeout does (the oracle works)', async () => {
    const watch = watchProcess({ quiet: true }); // the native warning is expected: collected, not printed
    try {
      for (const delay of [MAX + 1, 2 ** 33, 2 ** 53 - 1]) systemClock.clearTimeout(systemClock.setTimeout(() => {}, delay));
      await flush();
      expect(watch.warnings.map((w) => w.name)).toEqual([]);
      clearTimeout(setTimeout(() => {}, MAX + 1));
      await flush();
      expect(watch.warnings.map((w) => w.name)).toEqual(['TimeoutOverflowWarning']);
    } finally {
      watch.stop();
    }
  });

  it("keeps its timers ref'd by default (pending work keeps the process alive), and unrefs them with { unref: true }", () => {
    const handles: Array<[boolean, unknown]> = [];
    for (const [clock, unref] of [
      [systemClock, false],
      [createSystemClock(), false],
      [createSystemClock({ unref: true }), true],
      [createSystemClock({ unref: false }), false],
    ] as const) {
      handles.push([unref, clock.setTimeout(() => {}, 1_000)], [unref, clock.setTimeout(() => {}, MAX + 1)]);
      for (const [wantUnref, handle] of handles.splice(0)) {
        const native = (handle as { handle?: NodeJS.Timeout }).handle ?? (handle as NodeJS.Timeout);
        expect(native.hasRef()).toBe(!wantUnref);
        clock.clearTimeout(handle);
      }
    }
  });

  it('now() is monotonic and in milliseconds', () => {
    const a = systemClock.now();
    const b = systemClock.now();
    expect(b).toBeGreaterThanOrEqual(a);
    expect(Math.abs(systemClock.now() - performance.now())).toBeLessThan(1_000);
  });
});

describe('wall-clock jumps (failure mode 36)', () => {
  for (const jump of [hour, -hour]) {
    it(`a ${jump > 0 ? 'forward' : 'backward'} jump of 1 h changes no timing under systemClock`, async () => {
      fakeTimers();
      const clock = createSystemClock();
      const before = clock.now();
      const call = observe(timeout({ ms: 1_000, clock }).execute(() => hang()));
      vi.advanceTimersByTime(500);
      vi.setSystemTime(Date.now() + jump);
      expect(Math.abs(clock.now() - before)).toBeLessThan(hour / 2);
      vi.advanceTimersByTime(499);
      await flush();
      expect(call.state.status).toBe('pending');
      vi.advanceTimersByTime(1);
      await flush();
      expect(call.state.status === 'rejected' && call.state.reason).toBeInstanceOf(TimeoutError);
    });

    it(`a ${jump > 0 ? 'forward' : 'backward'} jump of 1 h in Date.now changes no timing under ManualClock`, async () => {
      const clock = new ManualClock();
      const call = observe(timeout({ ms: 1_000, clock }).execute(() => hang()));
      await clock.advance(500);
      const real = Date.now();
      vi.spyOn(Date, 'now').mockReturnValue(real + jump);
      expect(clock.now()).toBe(500);
      await clock.advance(499);
      expect(call.state.status).toBe('pending');
      await clock.advance(1);
      expect(call.state.status === 'rejected' && call.state.reason).toBeInstanceOf(TimeoutError);
    });
  }

  it('under ManualClock no real timer is touched by a timeout call', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const clock = new ManualClock();
    const policy = timeout({ ms: 10, clock });
    await policy.execute(() => 'ok');
    const call = observe(policy.execute(() => hang()));
    await clock.advance(10);
    expect(call.state.status).toBe('rejected');
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(setIntervalSpy).not.toHaveBeenCalled();
  });
});
