import { describe, expect, it } from 'vitest';
import { loadShedder } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { recordingHub } from './helpers.js';

describe('loadShedder › tryAdmit (synchronous path)', () => {
  it('returns a permit that holds a slot until released', () => {
    const clock = new ManualClock({ start: 100 });
    const shedder = loadShedder({ clock, maxInFlight: 2, thresholds: { normal: 1 } });
    const a = shedder.tryAdmit();
    const b = shedder.tryAdmit();
    expect(a).toMatchObject({ priority: 'normal', admittedAt: 100, released: false });
    expect(shedder.inFlight).toBe(2);
    expect(shedder.tryAdmit()).toBeUndefined();
    expect(a?.release()).toBe(true);
    expect(a?.released).toBe(true);
    expect(shedder.inFlight).toBe(1);
    expect(shedder.tryAdmit()).toBeDefined();
    b?.release();
  });

  it('failure mode 28: double release never over-admits', () => {
    const shedder = loadShedder({ maxInFlight: 2, thresholds: { normal: 1 } });
    const a = shedder.tryAdmit();
    const b = shedder.tryAdmit();
    expect(a?.release()).toBe(true);
    expect(a?.release()).toBe(false);
    expect(a?.release()).toBe(false);
    expect(shedder.inFlight).toBe(1); // not -1 + ... : b still counts
    const c = shedder.tryAdmit();
    expect(c).toBeDefined();
    expect(shedder.tryAdmit()).toBeUndefined(); // b and c: full, a's extra releases freed nothing
    b?.release();
    c?.release();
    expect(shedder.inFlight).toBe(0);
  });

  it('started() records the queue delay once; not after release', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, targetQueueDelayMs: 10, queueDelayIntervalMs: 100 });
    const p = shedder.tryAdmit();
    await clock.advance(50);
    expect(p?.started()).toBe(true);
    await clock.advance(50);
    expect(p?.started()).toBe(false); // a second call would have recorded 100 ms
    p?.release();
    expect(shedder.snapshot().loads.queueDelay).toBe(5); // the minimum of the interval: 50 ms
    const q = shedder.tryAdmit('critical');
    q?.release();
    expect(q?.started()).toBe(false);
  });

  it('a refusal emits a shed event and builds no error', () => {
    const { events, seen } = recordingHub();
    const shedder = loadShedder({ events, maxInFlight: 1 });
    const held = shedder.tryAdmit('critical');
    expect(shedder.tryAdmit('normal')).toBeUndefined();
    expect(seen.map((e) => e.type)).toEqual(['shed']);
    held?.release();
  });

  it('the release records the duration as a latency sample', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, latency: { targetMs: 100, minSamples: 1, percentile: 50 } });
    const p = shedder.tryAdmit();
    await clock.advance(150);
    p?.release();
    expect(shedder.snapshot().loads.latency).toBeCloseTo(1.5, 1);
  });
});
