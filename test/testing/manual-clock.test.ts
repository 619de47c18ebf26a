import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../../src/testing.js';

describe('ManualClock', () => {
  it('starts at `start` (default 0) and moves only when advanced', async () => {
    const clock = new ManualClock({ start: 500 });
    expect(clock.now()).toBe(500);
    await Promise.resolve();
    expect(clock.now()).toBe(500);
    await clock.advance(250);
    expect(clock.now()).toBe(750);
    await clock.advance(0);
    expect(clock.now()).toBe(750);
  });

  it('fires timers by due time, equal due times in the order they were set, each at its own time', async () => {
    const clock = new ManualClock();
    const random = seededRandom(7);
    const fired: Array<[number, number]> = [];
    const expected: Array<[number, number]> = [];
    for (let id = 0; id < 300; id++) {
      const delay = Math.floor(random() * 20); // many equal due times
      expected.push([delay, id]);
      clock.setTimeout(() => fired.push([clock.now(), id]), delay);
    }
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    await clock.advance(20);
    expect(fired).toEqual(expected);
  });

  it('advance fires timers set during the span when they fall due within it, not after it', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    clock.setTimeout(() => {
      log.push(`a@${clock.now()}`);
      clock.setTimeout(() => log.push(`b@${clock.now()}`), 30); // due 40: inside the span
      clock.setTimeout(() => log.push(`c@${clock.now()}`), 100); // due 110: outside
    }, 10);
    await clock.advance(50);
    expect(log).toEqual(['a@10', 'b@40']);
    expect(clock.now()).toBe(50);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(60);
    expect(log).toEqual(['a@10', 'b@40', 'c@110']);
  });

  it('lets promise continuations run between timers (a continuation can set a timer that fires in the span)', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const wait = (ms: number): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, ms));
    const flow = (async () => {
      await wait(10);
      log.push(`first@${clock.now()}`);
      await wait(10);
      log.push(`second@${clock.now()}`);
      await wait(10);
      log.push(`third@${clock.now()}`);
    })();
    clock.setTimeout(() => log.push(`other@${clock.now()}`), 15);
    await clock.advance(30);
    await flow;
    expect(log).toEqual(['first@10', 'other@15', 'second@20', 'third@30']);
  });

  it('advanceToNext moves to the next due time and fires every timer due then, and only those', async () => {
    const clock = new ManualClock();
    const log: number[] = [];
    clock.setTimeout(() => log.push(1), 40);
    clock.setTimeout(() => log.push(2), 40);
    clock.setTimeout(() => log.push(3), 90);
    expect(await clock.advanceToNext()).toBe(true);
    expect(clock.now()).toBe(40);
    expect(log).toEqual([1, 2]);
    expect(await clock.advanceToNext()).toBe(true);
    expect(clock.now()).toBe(90);
    expect(log).toEqual([1, 2, 3]);
    expect(await clock.advanceToNext()).toBe(false);
    expect(clock.now()).toBe(90);
  });

  it('runAll fires every timer, including ones set while running, and returns how many fired', async () => {
    const clock = new ManualClock();
    let chain = 0;
    const next = (): void => {
      if (++chain < 5) clock.setTimeout(next, 1_000);
    };
    clock.setTimeout(next, 1_000);
    clock.setTimeout(() => {}, 2);
    expect(await clock.runAll()).toBe(6);
    expect(clock.now()).toBe(5_000);
    expect(clock.pendingTimers).toBe(0);
    expect(await clock.runAll()).toBe(0);
  });

  it('runAll throws past maxTimersPerRun instead of spinning on a timer that re-arms itself', async () => {
    const clock = new ManualClock({ maxTimersPerRun: 50 });
    let fired = 0;
    const rearm = (): void => {
      fired++;
      clock.setTimeout(rearm, 10);
    };
    clock.setTimeout(rearm, 10);
    await expect(clock.runAll()).rejects.toThrow('ManualClock.runAll(): more than 50 timers fired; a timer keeps re-arming itself');
    expect(fired).toBe(50);
  });

  it('pendingTimers counts set, fired and cleared timers', async () => {
    const clock = new ManualClock();
    expect(clock.pendingTimers).toBe(0);
    const a = clock.setTimeout(() => {}, 10);
    clock.setTimeout(() => {}, 20);
    clock.setTimeout(() => {}, 30);
    expect(clock.pendingTimers).toBe(3);
    clock.clearTimeout(a);
    expect(clock.pendingTimers).toBe(2);
    await clock.advance(20);
    expect(clock.pendingTimers).toBe(1);
  });

  it('a cleared timer never fires, and nextTimerAt skips it', async () => {
    const clock = new ManualClock();
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 5);
    clock.setTimeout(() => {}, 8);
    expect(clock.nextTimerAt).toBe(5);
    clock.clearTimeout(handle);
    expect(clock.nextTimerAt).toBe(8);
    await clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.nextTimerAt).toBeUndefined();
  });

  it('ignores clearTimeout of unknown, fired or already-cleared handles', async () => {
    const clock = new ManualClock();
    let fired = 0;
    const kept = clock.setTimeout(() => fired++, 10);
    const done = clock.setTimeout(() => {}, 1);
    await clock.advance(1);
    for (const handle of [undefined, null, 999, -1, 'x', {}, done, done]) clock.clearTimeout(handle);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(10);
    expect(fired).toBe(1);
    clock.clearTimeout(kept);
    expect(clock.pendingTimers).toBe(0);
  });

  it('treats negative and NaN delays as 0', async () => {
    const clock = new ManualClock({ start: 100 });
    const at: number[] = [];
    clock.setTimeout(() => at.push(clock.now()), -50);
    clock.setTimeout(() => at.push(clock.now()), NaN);
    expect(clock.nextTimerAt).toBe(100);
    await clock.advance(0);
    expect(at).toEqual([100, 100]);
  });

  it('is deterministic: the same scenario gives the same trace every run', async () => {
    async function scenario(): Promise<string[]> {
      const clock = new ManualClock();
      const random = seededRandom(42);
      const trace: string[] = [];
      const tasks = Array.from({ length: 50 }, async (_, i) => {
        for (let step = 0; step < 3; step++) {
          await new Promise<void>((resolve) => clock.setTimeout(resolve, Math.floor(random() * 100)));
          trace.push(`${i}.${step}@${clock.now()}`);
        }
      });
      await clock.runAll();
      await Promise.all(tasks);
      return trace;
    }
    const first = await scenario();
    expect(first).toHaveLength(150);
    expect(await scenario()).toEqual(first);
  });
});

describe('ManualClock with many cleared timers', () => {
  it('still fires the remaining timers in due-time order after the heap is compacted', async () => {
    const clock = new ManualClock();
    const random = seededRandom(7);
    const fired: number[] = [];
    const expected: Array<{ due: number; id: number }> = [];
    for (let i = 0; i < 5_000; i++) {
      const due = Math.floor(random() * 1_000);
      const handle = clock.setTimeout(() => fired.push(i), due);
      // Clear nine timers out of ten: the heap is compacted many times on the way.
      if (i % 10 !== 0) clock.clearTimeout(handle);
      else expected.push({ due, id: i });
    }
    expect(clock.pendingTimers).toBe(500);
    expected.sort((a, b) => a.due - b.due || a.id - b.id);
    expect(await clock.runAll()).toBe(500);
    expect(fired).toEqual(expected.map((e) => e.id));
  });
});

describe('ManualClock and timers that re-arm themselves', () => {
  it('advance() stops a 0 ms loop after maxTimersPerRun timers instead of hanging', async () => {
    const clock = new ManualClock({ maxTimersPerRun: 50 });
    let fired = 0;
    const loop = (): void => {
      fired++;
      clock.setTimeout(loop, 0);
    };
    clock.setTimeout(loop, 0);
    await expect(clock.advance(0)).rejects.toThrow('ManualClock.advance(): more than 50 timers fired');
    expect(fired).toBe(50);
  });
});

describe('ManualClock and overlapping advances', () => {
  it('two advance() calls left running together never move time backwards', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const samples: number[] = [];
    clock.setTimeout(() => {
      seen.push(clock.now());
      samples.push(clock.now());
    }, 50);
    let done = false;
    const sample = (): void => {
      samples.push(clock.now());
      if (!done) setImmediate(sample);
    };
    sample();
    const long = clock.advance(100);
    const short = clock.advance(10);
    await Promise.all([long, short]);
    done = true;
    expect(clock.now()).toBe(100);
    expect(seen).toEqual([50]);
    expect(samples.length).toBeGreaterThan(3);
    expect(samples).toEqual([...samples].sort((a, b) => a - b));
  });
});
