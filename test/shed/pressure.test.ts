import { describe, expect, it } from 'vitest';
import { loadShedder } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { recordingHub } from './helpers.js';

describe('loadShedder › external pressure signal', () => {
  it('sheds sheddable from 0.75, normal from 0.9, critical never', () => {
    let level = 0;
    const shedder = loadShedder({ pressure: () => level });
    const admitted = (p: 'critical' | 'normal' | 'sheddable') => {
      const permit = shedder.tryAdmit(p);
      permit?.release();
      return permit !== undefined;
    };
    level = 0.74;
    expect([admitted('sheddable'), admitted('normal'), admitted('critical')]).toEqual([true, true, true]);
    level = 0.75;
    expect([admitted('sheddable'), admitted('normal'), admitted('critical')]).toEqual([false, true, true]);
    level = 0.9;
    expect([admitted('sheddable'), admitted('normal'), admitted('critical')]).toEqual([false, false, true]);
    level = 1;
    expect([admitted('sheddable'), admitted('normal'), admitted('critical')]).toEqual([false, false, true]);
    expect(shedder.isOverloaded()).toBe(true);
  });

  it('clamps values outside [0, 1]', () => {
    let level = 7;
    const shedder = loadShedder({ pressure: () => level });
    expect(shedder.pressure()).toBe(1);
    level = -3;
    expect(shedder.pressure()).toBe(0);
    level = Infinity;
    expect(shedder.pressure()).toBe(1);
  });

  it('failure mode 34: a throwing pressure hook fails open and is reported once per throw', async () => {
    const { events, seen } = recordingHub();
    const boom = new Error('probe broke');
    const shedder = loadShedder({
      events,
      name: 'p',
      pressure: () => {
        throw boom;
      },
    });
    expect(await shedder.execute(() => 'still served')).toBe('still served');
    expect(seen).toEqual([{ type: 'shed.pressure-error', kind: 'load-shedder', name: 'p', time: expect.any(Number), error: boom }]);
  });

  it('a pressure hook returning a non-number counts as 0 and is reported with a TypeError', () => {
    const { events, seen } = recordingHub();
    const shedder = loadShedder({ events, pressure: () => 'high' as unknown as number });
    expect(shedder.pressure()).toBe(0);
    expect(seen[0]).toMatchObject({ type: 'shed.pressure-error' });
    expect(String((seen[0] as { error: unknown }).error)).toContain('`pressure` must return a number in [0, 1], got "high" (string)');
    const nan = loadShedder({ events, pressure: () => Number.NaN });
    expect(nan.pressure()).toBe(0);
    expect(seen).toHaveLength(2);
  });

  it('pressure() is the most loaded signal; snapshot() shows each one', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, maxInFlight: 4, pressure: () => 0.3, targetQueueDelayMs: 10, latency: { targetMs: 100 } });
    const permits = [shedder.tryAdmit(), shedder.tryAdmit()];
    expect(shedder.pressure()).toBe(0.5);
    expect(shedder.snapshot()).toEqual({
      inFlight: 2,
      pressure: 0.5,
      overloaded: false,
      draining: false,
      admitted: 2,
      shed: 0,
      loads: { inFlight: 0.5, queueDelay: 0, latency: 0, pressure: 0.3 },
    });
    permits.forEach((p) => p?.release());
    expect(shedder.pressure()).toBe(0.3);
    expect(loadShedder({ maxInFlight: 1 }).snapshot().loads).toEqual({ inFlight: 0 });
  });

  it('the reason of a refusal is the most loaded signal', async () => {
    const { events, seen } = recordingHub();
    const shedder = loadShedder({ events, maxInFlight: 10, pressure: () => 0.95 });
    shedder.tryAdmit('normal');
    expect(seen[0]).toMatchObject({ reason: 'pressure', load: 0.95, priority: 'normal', inFlight: 0 });
  });
});
