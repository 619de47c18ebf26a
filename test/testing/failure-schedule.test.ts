import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failureSchedule, type FaultStep } from '../../src/testing.js';

const boom = new Error('boom');
const reset = new Error('ECONNRESET');

describe('testing › failureSchedule', () => {
  it('is a fast-check arbitrary: it types as fc.Arbitrary and composes with fast-check combinators', () => {
    const schedules: fc.Arbitrary<FaultStep<Error>[]> = failureSchedule(fc, { errors: [boom] });
    const pairs = fc.tuple(schedules, fc.nat());
    const lengths = schedules.map((steps) => steps.length);
    expect(fc.sample(pairs, 5)).toHaveLength(5);
    expect(fc.sample(lengths, 20).every((n) => n >= 1 && n <= 10)).toBe(true);
  });

  it('generates steps within the options: lengths, integer latencies, the given errors and values (the very objects), no hang unless asked', () => {
    const values = [{ status: 200 }, { status: 503 }];
    fc.assert(
      fc.property(failureSchedule(fc, { errors: [boom, reset], values, maxLatencyMs: 250, minLength: 2, maxLength: 4 }), (steps) => {
        expect(steps.length).toBeGreaterThanOrEqual(2);
        expect(steps.length).toBeLessThanOrEqual(4);
        for (const step of steps) {
          expect(step.kind).not.toBe('hang');
          if (step.kind === 'hang') continue;
          expect(Number.isInteger(step.latencyMs) && step.latencyMs >= 0 && step.latencyMs <= 250).toBe(true);
          if (step.kind === 'fail') expect([boom, reset]).toContain(step.error);
          else expect(values).toContain(step.value);
        }
      }),
    );
  });

  it('without values, a succeed step resolves with undefined; with hangs, hangs occur', () => {
    const steps = fc.sample(failureSchedule(fc, { errors: [boom], hangs: true, maxLength: 20 }), { numRuns: 100, seed: 7 }).flat();
    const kinds = new Set(steps.map((s) => s.kind));
    expect(kinds).toEqual(new Set(['succeed', 'fail', 'hang']));
    expect(steps.filter((s) => s.kind === 'succeed').every((s) => s.value === undefined)).toBe(true);
  });

  it('shrinks a failing schedule to the smallest one: a single failure with no latency', () => {
    const result = fc.check(
      fc.property(failureSchedule(fc, { errors: [boom, reset], hangs: true }), (steps) => steps.every((s) => s.kind !== 'fail')),
      { seed: 42 },
    );
    expect(result.failed).toBe(true);
    expect(result.counterexample).toEqual([[{ kind: 'fail', latencyMs: 0, error: boom }]]);
  });

  it('rejects bad arguments with typed errors naming the option', () => {
    expect(() => failureSchedule(fc, { errors: [] })).toThrow(RangeError);
    expect(() => failureSchedule(fc, { errors: boom as never })).toThrow(/`errors` must be a non-empty array, got an object/);
    expect(() => failureSchedule({} as never, { errors: [boom] })).toThrow(/`fc` must be an object with `integer\(\)`/);
    expect(() => failureSchedule(undefined as never, { errors: [boom] })).toThrow(TypeError);
    expect(() => failureSchedule(fc, { errors: [boom], maxLatencyMs: -1 })).toThrow(/`maxLatencyMs` must be .*got -1 \(number\)/);
    expect(() => failureSchedule(fc, { errors: [boom], minLength: 5, maxLength: 2 })).toThrow(/`maxLength` must be .*>= 5.*got 2/);
    expect(() => failureSchedule(fc, { errors: [boom], hangs: 'yes' as never })).toThrow(/`hangs` must be a boolean, got "yes" \(string\)/);
    expect(() => failureSchedule(fc, { errors: [boom], latency: 5 } as never)).toThrow(/unknown option `latency`/);
  });
});
