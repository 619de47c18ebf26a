import { describe, expect, it } from 'vitest';
import { loadShedder } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

function setup(ramp = 0) {
  const clock = new ManualClock();
  const shedder = loadShedder({ clock, targetQueueDelayMs: 10, queueDelayIntervalMs: 100, ramp });
  return { clock, shedder };
}

describe('loadShedder › queue delay (CoDel-style)', () => {
  it('sheds once every wait of a whole interval stayed above the target', async () => {
    const { clock, shedder } = setup();
    for (let t = 0; t < 100; t += 10) {
      shedder.recordQueueDelay(25);
      await clock.advance(10);
    }
    // At t=100 the first interval is complete; its minimum wait was 25 ms (2.5 × target).
    expect(shedder.snapshot().loads.queueDelay).toBe(2.5);
    expect(shedder.isOverloaded()).toBe(true);
    expect(shedder.tryAdmit('sheddable')).toBeUndefined();
    expect(shedder.tryAdmit('normal')).toBeUndefined();
    const critical = shedder.tryAdmit('critical');
    expect(critical).toBeDefined(); // a soft signal never sheds critical
    critical?.release();
  });

  it('a burst is not a standing queue: one quick start in the interval keeps it open', async () => {
    const { clock, shedder } = setup();
    for (let t = 0; t < 100; t += 10) {
      shedder.recordQueueDelay(t === 50 ? 2 : 40);
      await clock.advance(10);
    }
    expect(shedder.snapshot().loads.queueDelay).toBeCloseTo(0.2);
    expect(shedder.isOverloaded()).toBe(false);
    shedder.tryAdmit()?.release();
  });

  it('the state does not react before a whole interval has passed', async () => {
    const { clock, shedder } = setup();
    shedder.recordQueueDelay(500);
    await clock.advance(99);
    expect(shedder.pressure()).toBe(0);
    await clock.advance(1);
    expect(shedder.pressure()).toBe(1);
  });

  it('leaves the overloaded state as soon as one wait is under the target', async () => {
    const { clock, shedder } = setup();
    shedder.recordQueueDelay(30);
    await clock.advance(100);
    expect(shedder.isOverloaded()).toBe(true);
    shedder.recordQueueDelay(3);
    expect(shedder.isOverloaded()).toBe(false);
    expect(shedder.snapshot().loads.queueDelay).toBeCloseTo(0.3);
  });

  it('an interval with no start at all counts as an empty queue (no stuck overload after idle)', async () => {
    const { clock, shedder } = setup();
    shedder.recordQueueDelay(30);
    await clock.advance(100);
    expect(shedder.isOverloaded()).toBe(true);
    await clock.advance(100); // the interval [100, 200) saw nothing
    expect(shedder.isOverloaded()).toBe(false);
    await clock.advance(3_600_000);
    expect(shedder.pressure()).toBe(0);
  });

  it('sheddable calls go first: between 0.75 and 0.9 of the target only they are refused', async () => {
    const { clock, shedder } = setup();
    shedder.recordQueueDelay(8);
    await clock.advance(100);
    expect(shedder.pressure()).toBeCloseTo(0.8);
    expect(shedder.tryAdmit('sheddable')).toBeUndefined();
    const normal = shedder.tryAdmit('normal');
    expect(normal).toBeDefined();
    normal?.release();
  });

  it('recordQueueDelay validates its argument, and is a no-op without the signal', () => {
    const { shedder } = setup();
    expect(() => shedder.recordQueueDelay(-1)).toThrow(RangeError);
    expect(() => shedder.recordQueueDelay(Number.NaN)).toThrow('got NaN (number)');
    expect(() => shedder.recordQueueDelay(Infinity)).toThrow(RangeError);
    const other = loadShedder({ maxInFlight: 1 });
    other.recordQueueDelay(1_000_000);
    expect(other.pressure()).toBe(0);
  });

  it('a permit reports its wait when the work starts', async () => {
    const { clock, shedder } = setup();
    const permits = [shedder.tryAdmit(), shedder.tryAdmit()];
    await clock.advance(50);
    permits.forEach((p) => p?.started());
    permits.forEach((p) => p?.release());
    await clock.advance(50);
    expect(shedder.snapshot().loads.queueDelay).toBe(5);
  });
});
