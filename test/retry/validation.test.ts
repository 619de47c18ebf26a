import { describe, expect, it } from 'vitest';
import { constantBackoff, exponentialBackoff, linearBackoff, retry, retryBudget, type Backoff } from '../../src/index.js';

/** How a value is shown in a validation message. */
function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}" (string)` : `${String(value)} (number)`;
}

/** Calls `build(value)` untyped, as JavaScript callers can. */
type Build = (value: unknown) => unknown;

/** The hostile values of failure mode 37 and what each numeric option must do with them. */
interface Case {
  readonly factory: string;
  readonly option: string;
  readonly build: Build;
  /** Values that are accepted (the rest of the hostile list must throw). */
  readonly accepts: readonly unknown[];
  /** A required argument: undefined is a TypeError rather than the default. */
  readonly required?: boolean;
}

const hostile: readonly unknown[] = [NaN, -1, 0, 0.5, Infinity, -Infinity, 2 ** 31, 2 ** 53, '5'];

const cases: readonly Case[] = [
  { factory: 'constantBackoff()', option: 'ms', build: (v) => constantBackoff(v as number), accepts: [0, 0.5, 2 ** 31], required: true },
  { factory: 'linearBackoff()', option: 'initialMs', build: (v) => linearBackoff({ initialMs: v as number, maxMs: 2 ** 52 }), accepts: [0, 0.5, 2 ** 31] },
  { factory: 'linearBackoff()', option: 'stepMs', build: (v) => linearBackoff({ stepMs: v as number }), accepts: [0, 0.5, 2 ** 31] },
  { factory: 'linearBackoff()', option: 'maxMs', build: (v) => linearBackoff({ initialMs: 0, maxMs: v as number }), accepts: [0, 0.5, 2 ** 31] },
  { factory: 'exponentialBackoff()', option: 'initialMs', build: (v) => exponentialBackoff({ initialMs: v as number, maxMs: 2 ** 52 }), accepts: [0, 0.5, 2 ** 31] },
  { factory: 'exponentialBackoff()', option: 'factor', build: (v) => exponentialBackoff({ factor: v as number }), accepts: [] },
  { factory: 'exponentialBackoff()', option: 'maxMs', build: (v) => exponentialBackoff({ initialMs: 0, maxMs: v as number }), accepts: [0, 0.5, 2 ** 31] },
  { factory: 'retry()', option: 'maxAttempts', build: (v) => retry({ maxAttempts: v as number }), accepts: [Infinity, 2 ** 31, 2 ** 53] },
  { factory: 'retry()', option: 'maxElapsedMs', build: (v) => retry({ maxElapsedMs: v as number }), accepts: [0, 0.5, Infinity, 2 ** 31, 2 ** 53] },
  { factory: 'retryBudget()', option: 'ratio', build: (v) => retryBudget({ ratio: v as number }), accepts: [0, 0.5] },
  { factory: 'retryBudget()', option: 'minPerSecond', build: (v) => retryBudget({ minPerSecond: v as number }), accepts: [0, 0.5] },
  { factory: 'retryBudget()', option: 'windowMs', build: (v) => retryBudget({ windowMs: v as number }), accepts: [] },
];

describe('retry › option validation (failure mode 37)', () => {
  for (const c of cases) {
    for (const value of hostile) {
      const accepted = c.accepts.includes(value);
      it(`failure mode 37: ${c.factory} \`${c.option}\` = ${String(typeof value === 'string' ? `"${value}"` : value)} ${accepted ? 'is accepted' : 'throws a typed error naming option and value'}`, () => {
        if (accepted) {
          expect(() => c.build(value)).not.toThrow();
          return;
        }
        const Expected = typeof value === 'number' ? RangeError : TypeError;
        let error: unknown;
        try {
          c.build(value);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(Expected);
        expect((error as Error).message).toContain(c.factory);
        expect((error as Error).message).toContain(`\`${c.option}\``);
        expect((error as Error).message).toContain(`got ${shown(value)}`);
      });
    }
    it(`failure mode 37: ${c.factory} \`${c.option}\` = undefined ${c.required === true ? 'is a TypeError (required)' : 'means the default'}`, () => {
      if (c.required === true) expect(() => c.build(undefined)).toThrow(new RegExp(`\`${c.option}\` must be .*, got undefined`));
      else expect(() => c.build(undefined)).not.toThrow();
    });
  }

  it('linearBackoff() and exponentialBackoff() reject maxMs below initialMs, naming maxMs', () => {
    expect(() => linearBackoff({ initialMs: 500, maxMs: 100 })).toThrow(new RangeError('linearBackoff(): `maxMs` must be a finite number >= 500 and <= 9007199254740991, got 100 (number)'));
    expect(() => exponentialBackoff({ initialMs: 500, maxMs: 100 })).toThrow(/exponentialBackoff\(\): `maxMs` must be .*>= 500.*got 100 \(number\)/);
  });

  it('jitter must be one of the modes the backoff supports', () => {
    expect(() => constantBackoff(10, { jitter: 'decorrelated' as 'full' })).toThrow(RangeError);
    expect(() => exponentialBackoff({ jitter: 'random' as 'full' })).toThrow(/`jitter` must be one of "none", "full", "equal", "decorrelated", got "random" \(string\)/);
    expect(() => linearBackoff({ jitter: 1 as unknown as 'full' })).toThrow(TypeError);
  });

  it('unknown options are TypeErrors naming the key (a typo is not silently ignored)', () => {
    expect(() => retry({ retries: 3 } as never)).toThrow(/retry\(\): unknown option `retries`/);
    expect(() => exponentialBackoff({ max: 10 } as never)).toThrow(/unknown option `max`/);
    expect(() => retryBudget({ percent: 10 } as never)).toThrow(/unknown option `percent`/);
  });

  it('function and object options are type-checked at construction', () => {
    expect(() => retry({ shouldRetry: true as never })).toThrow(/`shouldRetry` must be a function, got true \(boolean\)/);
    expect(() => retry({ retryAfterMs: 5 as never })).toThrow(TypeError);
    expect(() => retry({ random: 0.5 as never })).toThrow(TypeError);
    expect(() => retry({ backoff: 100 as never })).toThrow(/`backoff` must be an object with `delay\(\)`/);
    expect(() => retry({ budget: {} as never })).toThrow(/`budget` must be an object with `recordCall\(\)`, `tryRetry\(\)`/);
    expect(() => retryBudget({ clock: Date as never })).toThrow(/`clock` must be an object/);
  });
});

describe('retry() and custom backoffs', () => {
  it('rejects a custom backoff without a numeric maxMs, naming the option', () => {
    const noCap = { delay: () => 10 } as unknown as Backoff;
    expect(() => retry({ backoff: noCap })).toThrow(TypeError);
    expect(() => retry({ backoff: noCap })).toThrow('`backoff.maxMs` must be a finite number >= 0 and <= 9007199254740991, got undefined');
    const nanCap = { delay: () => 10, maxMs: Number.NaN };
    expect(() => retry({ backoff: nanCap })).toThrow(RangeError);
  });

});
