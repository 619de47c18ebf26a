import { describe, expect, it } from 'vitest';
import { loadShedder, type LoadShedderOptions } from '../../src/index.js';

type Outcome = 'ok' | typeof RangeError | typeof TypeError;
const R = RangeError;
const T = TypeError;
const values: readonly unknown[] = [Number.NaN, -1, 0, 0.5, Infinity, 2 ** 31, 2 ** 53, undefined, '5'];

/** For each numeric option: how to build options with the value, and the outcome for each of `values`. */
const table: ReadonlyArray<{ option: string; build: (v: unknown) => Record<string, unknown>; expected: readonly Outcome[] }> = [
  { option: 'maxInFlight', build: (v) => ({ pressure: () => 0, maxInFlight: v }), expected: [R, R, R, R, R, 'ok', R, 'ok', T] },
  { option: 'targetQueueDelayMs', build: (v) => ({ pressure: () => 0, targetQueueDelayMs: v }), expected: [R, R, R, 'ok', R, 'ok', R, 'ok', T] },
  { option: 'queueDelayIntervalMs', build: (v) => ({ targetQueueDelayMs: 5, queueDelayIntervalMs: v }), expected: [R, R, R, 'ok', R, 'ok', R, 'ok', T] },
  { option: 'latency.targetMs', build: (v) => ({ latency: { targetMs: v } }), expected: [R, R, R, 'ok', R, 'ok', R, T, T] },
  { option: 'latency.percentile', build: (v) => ({ latency: { targetMs: 10, percentile: v } }), expected: [R, R, R, R, R, R, R, 'ok', T] },
  { option: 'latency.windowMs', build: (v) => ({ latency: { targetMs: 10, windowMs: v } }), expected: [R, R, R, R, R, R, R, 'ok', T] },
  { option: 'latency.minSamples', build: (v) => ({ latency: { targetMs: 10, minSamples: v } }), expected: [R, R, R, R, R, R, R, 'ok', T] },
  { option: 'thresholds.sheddable', build: (v) => ({ maxInFlight: 1, thresholds: { sheddable: v } }), expected: [R, R, R, 'ok', R, R, R, 'ok', T] },
  { option: 'thresholds.normal', build: (v) => ({ maxInFlight: 1, thresholds: { normal: v } }), expected: [R, R, R, 'ok', R, R, R, 'ok', T] },
  { option: 'ramp', build: (v) => ({ maxInFlight: 1, ramp: v }), expected: [R, R, 'ok', 'ok', R, R, R, 'ok', T] },
  { option: 'retryAfterMs', build: (v) => ({ maxInFlight: 1, retryAfterMs: v }), expected: [R, R, 'ok', 'ok', R, 'ok', R, 'ok', T] },
];

describe('loadShedder › option validation', () => {
  describe.each(table)('failure mode 37: bad numeric config: $option', ({ option, build, expected }) => {
    it.each(values.map((value, i) => ({ value, outcome: expected[i] as Outcome, label: String(value) })))('$label', ({ value, outcome }) => {
      const options = build(value) as LoadShedderOptions;
      if (outcome === 'ok') {
        const shedder = loadShedder(options);
        const permit = shedder.tryAdmit('critical');
        expect(permit).toBeDefined();
        permit?.release();
        expect(Number.isNaN(shedder.pressure())).toBe(false);
        return;
      }
      let thrown: unknown;
      try {
        loadShedder(options);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(outcome);
      expect((thrown as Error).message).toContain(`loadShedder(): \`${option}\` must be`);
      expect((thrown as Error).message).toMatch(/got /);
    });
  });

  it('names the value received', () => {
    expect(() => loadShedder({ maxInFlight: 0.5 })).toThrow('loadShedder(): `maxInFlight` must be an integer >= 1 and <= 9007199254740991, got 0.5 (number)');
    expect(() => loadShedder({ latency: { targetMs: 10, percentile: 0.99 } })).toThrow(
      'loadShedder(): `latency.percentile` must be a finite number >= 1 and <= 100, got 0.99 (number)',
    );
  });

  it('requires at least one signal', () => {
    expect(() => loadShedder({})).toThrow(TypeError);
    expect(() => loadShedder(undefined as unknown as LoadShedderOptions)).toThrow('give at least one signal');
    expect(() => loadShedder({ ramp: 0.1 })).toThrow('give at least one signal');
  });

  it('rejects unknown keys, at every level', () => {
    expect(() => loadShedder({ maxInflight: 3 } as unknown as LoadShedderOptions)).toThrow('unknown option `maxInflight`');
    expect(() => loadShedder({ latency: { target: 3 } } as unknown as LoadShedderOptions)).toThrow('unknown option `target`');
    expect(() => loadShedder({ maxInFlight: 1, thresholds: { critical: 1 } } as unknown as LoadShedderOptions)).toThrow('unknown option `critical`');
  });

  it('checks types and cross-field constraints', () => {
    expect(() => loadShedder({ pressure: 0.5 as unknown as () => number })).toThrow('`pressure` must be a function, got 0.5 (number)');
    expect(() => loadShedder({ maxInFlight: 1, random: 'x' as unknown as () => number })).toThrow(TypeError);
    expect(() => loadShedder({ latency: 100 as unknown as { targetMs: number } })).toThrow('options must be an object, got 100 (number)');
    expect(() => loadShedder({ maxInFlight: 1, defaultPriority: 'high' as 'normal' })).toThrow(RangeError);
    expect(() => loadShedder({ maxInFlight: 1, thresholds: { sheddable: 0.95, normal: 0.9 } })).toThrow(
      '`thresholds.sheddable` must be a finite number > 0 and <= 0.9, got 0.95 (number)',
    );
    expect(() => loadShedder({ maxInFlight: 1, ramp: 0.8 })).toThrow('`ramp` must be a finite number >= 0 and <= 0.75, got 0.8 (number)');
    expect(() => loadShedder({ maxInFlight: 1, clock: {} as never })).toThrow('`clock` must be an object with');
    expect(() => loadShedder(5 as unknown as LoadShedderOptions)).toThrow(TypeError);
  });

  it('a lower normal threshold lowers the default sheddable one with it', () => {
    const shedder = loadShedder({ pressure: () => 0.5, thresholds: { normal: 0.5 } });
    expect(shedder.tryAdmit('normal')).toBeUndefined();
    expect(shedder.tryAdmit('sheddable')).toBeUndefined();
  });
});
