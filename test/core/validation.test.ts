import { describe, expect, it } from 'vitest';
import { createEventHub, createSystemClock, pipeline, sleep, timeout, TimeoutError } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { observe } from '../helpers/deferred.js';

// Failure mode 37: every numeric option gets NaN, -1, 0, 0.5, Infinity, 2^31, 2^53, undefined,
// "5" and null. Each either throws a typed error at construction naming the option and the
// value, or is accepted (and then behaves, see the tests at the bottom).

const probes: readonly unknown[] = [NaN, -1, 0, 0.5, Infinity, 2 ** 31, 2 ** 53, undefined, '5', null];

/** How a received value must appear in a message (the spec, written independently of src). */
function shown(value: unknown): string {
  if (value === undefined) return 'got undefined';
  if (value === null) return 'got null';
  if (typeof value === 'string') return `got "${value}" (string)`;
  return `got ${String(value)} (number)`;
}

type Verdict = 'ok' | typeof TypeError | typeof RangeError;

/** The expected verdict for each probe, in the order of `probes`. */
interface Case {
  readonly what: string;
  readonly option: string;
  readonly build: (value: unknown) => unknown;
  readonly verdicts: readonly Verdict[];
}

const T = TypeError;
const R = RangeError;

const cases: readonly Case[] = [
  {
    what: 'timeout()',
    option: 'ms',
    build: (ms) => timeout({ ms } as never),
    //         NaN -1 0  0.5   Inf 2^31  2^53 undef "5" null
    verdicts: [R, R, R, 'ok', R, 'ok', R, T, T, T],
  },
  {
    what: 'sleep()',
    option: 'ms',
    build: (ms) => sleep(ms as number, { clock: new ManualClock() }),
    verdicts: [R, R, 'ok', 'ok', R, 'ok', R, T, T, T],
  },
  {
    what: 'ManualClock',
    option: 'start',
    build: (start) => new ManualClock({ start } as never),
    verdicts: [R, R, 'ok', 'ok', R, 'ok', R, 'ok', T, T],
  },
  {
    what: 'ManualClock',
    option: 'maxTimersPerRun',
    build: (maxTimersPerRun) => new ManualClock({ maxTimersPerRun } as never),
    verdicts: [R, R, R, R, R, 'ok', 'ok', 'ok', T, T],
  },
  {
    what: 'ManualClock.advance()',
    option: 'ms',
    // advance() is async: its validation error is a rejection, so build the check synchronously.
    build: (ms) => {
      const clock = new ManualClock();
      let thrown: unknown;
      const pending = clock.advance(ms as number).catch((error: unknown) => {
        thrown = error;
      });
      return { pending, thrown: () => thrown };
    },
    verdicts: [R, R, 'ok', 'ok', R, 'ok', R, T, T, T],
  },
  {
    what: 'createSystemClock()',
    option: 'unref',
    build: (unref) => createSystemClock({ unref } as never),
    verdicts: [T, T, T, T, T, T, T, 'ok', T, T],
  },
  {
    what: 'createEventHub()',
    option: 'onListenerError',
    build: (onListenerError) => createEventHub({ onListenerError } as never),
    verdicts: [T, T, T, T, T, T, T, 'ok', T, T],
  },
];

async function verdictOf(c: Case, value: unknown): Promise<unknown> {
  try {
    const built = c.build(value) as { pending?: Promise<void>; thrown?: () => unknown } | undefined;
    if (built?.pending !== undefined && built.thrown !== undefined) {
      await built.pending;
      return built.thrown();
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('option validation (failure mode 37)', () => {
  for (const c of cases) {
    describe(`${c.what} \`${c.option}\``, () => {
      probes.forEach((value, index) => {
        const verdict = c.verdicts[index];
        const label = typeof value === 'string' ? `"${value}"` : String(value);
        if (verdict === 'ok') {
          it(`accepts ${label}`, async () => {
            expect(await verdictOf(c, value)).toBeUndefined();
          });
        } else {
          it(`rejects ${label} with a ${verdict?.name} naming the option and the value`, async () => {
            const error = await verdictOf(c, value);
            expect(error).toBeInstanceOf(verdict);
            // A RangeError is not a TypeError and vice versa: the class tells which mistake it was.
            expect(error).not.toBeInstanceOf(verdict === TypeError ? RangeError : TypeError);
            const message = (error as Error).message;
            expect(message.startsWith(`${c.what}: `)).toBe(true);
            expect(message).toContain(`\`${c.option}\``);
            expect(message.endsWith(shown(value))).toBe(true);
          });
        }
      });
    });
  }

  it('gives exact messages for a few typical mistakes', async () => {
    expect(() => timeout({ ms: 0 })).toThrow(new RangeError('timeout(): `ms` must be a finite number > 0 and <= 9007199254740991, got 0 (number)'));
    expect(() => timeout({ ms: '5' as never })).toThrow(new TypeError('timeout(): `ms` must be a finite number > 0 and <= 9007199254740991, got "5" (string)'));
    expect(() => sleep(-1)).toThrow(new RangeError('sleep(): `ms` must be a finite number >= 0 and <= 9007199254740991, got -1 (number)'));
    expect(() => new ManualClock({ maxTimersPerRun: 0.5 })).toThrow(new RangeError('ManualClock: `maxTimersPerRun` must be an integer >= 1, got 0.5 (number)'));
    expect(() => createSystemClock({ unref: 'yes' as never })).toThrow(new TypeError('createSystemClock(): `unref` must be a boolean, got "yes" (string)'));
    expect(() => timeout({ ms: 5, timeoutMs: 5 } as never)).toThrow(
      new TypeError('timeout(): unknown option `timeoutMs` (known options: `name`, `clock`, `events`, `ms`)'),
    );
    expect(() => pipeline(timeout({ ms: 1 }), 5 as never)).toThrow(new TypeError('pipeline(): argument 1 must be a policy (an object with execute()), got 5 (number)'));
    await expect(new ManualClock().advance(-1)).rejects.toThrow(new RangeError('ManualClock.advance(): `ms` must be a finite number >= 0 and <= 9007199254740991, got -1 (number)'));
  });

  it('rejects unknown option keys of every factory with a TypeError naming the key', () => {
    const attempts: Array<[string, () => unknown]> = [
      ['timeout()', () => timeout({ ms: 5, signal: undefined } as never)],
      ['sleep()', () => sleep(5, { clock: new ManualClock(), timeout: 1 } as never)],
      ['createSystemClock()', () => createSystemClock({ unRef: true } as never)],
      ['ManualClock', () => new ManualClock({ now: 5 } as never)],
      ['createEventHub()', () => createEventHub({ onError: () => {} } as never)],
    ];
    for (const [where, attempt] of attempts) {
      expect(attempt, where).toThrow(TypeError);
      expect(attempt, where).toThrow(new RegExp(`^${where.replace(/[()]/g, '\\$&')}: unknown option`));
    }
  });

  it('rejects options that are not an object', () => {
    for (const options of [null, 5, '5', [], true]) {
      expect(() => timeout(options as never)).toThrow(TypeError);
      expect(() => createSystemClock(options as never)).toThrow(TypeError);
      expect(() => new ManualClock(options as never)).toThrow(TypeError);
      expect(() => createEventHub(options as never)).toThrow(TypeError);
      expect(() => sleep(1, options as never)).toThrow(TypeError);
    }
    expect(() => timeout(undefined as never)).toThrow(new TypeError('timeout(): `ms` must be a finite number > 0 and <= 9007199254740991, got undefined'));
  });

  it('checks the common options name, clock and events', () => {
    expect(() => timeout({ ms: 1, name: '' })).toThrow(new TypeError('timeout(): `name` must be a non-empty string, got "" (string)'));
    expect(() => timeout({ ms: 1, name: 5 as never })).toThrow(TypeError);
    expect(() => timeout({ ms: 1, clock: {} as never })).toThrow(/^timeout\(\): `clock` must be an object with `now\(\)`, `setTimeout\(\)`, `clearTimeout\(\)`, got an object$/);
    expect(() => timeout({ ms: 1, clock: { now: () => 0, setTimeout: () => 0 } as never })).toThrow(TypeError);
    expect(() => timeout({ ms: 1, events: { emit: () => {} } as never })).toThrow(/`events` must be an object with/);
    expect(() => sleep(1, { signal: '5' as never })).toThrow(/^sleep\(\): `signal` must be an object with/);
    expect(() => sleep(1, { clock: null as never })).toThrow(new TypeError('sleep(): `clock` must be an object with `now()`, `setTimeout()`, `clearTimeout()`, got null'));
  });

  it('rejects pipeline() arguments that are not policies', () => {
    for (const value of [...probes, {}, { execute: 5 }, 'policy']) {
      expect(() => pipeline(value as never)).toThrow(TypeError);
      expect(() => pipeline(value as never)).toThrow(/^pipeline\(\): argument 0 must be a policy/);
    }
    expect(() => pipeline({ execute: async () => 1 } as never)).not.toThrow();
  });
});

describe('accepted edge values behave (failure mode 37)', () => {
  it('timeout ms 0.5 fires at 0.5 ms, not before', async () => {
    const clock = new ManualClock();
    const call = observe(timeout({ ms: 0.5, clock }).execute(() => new Promise(() => {})));
    await clock.advance(0.4);
    expect(call.state.status).toBe('pending');
    await clock.advance(0.1);
    expect(call.state.status === 'rejected' && call.state.reason instanceof TimeoutError).toBe(true);
  });

  it('timeout ms 2^31 fires at 2^31 ms exactly, not clamped to 1 ms', async () => {
    const clock = new ManualClock();
    const call = observe(timeout({ ms: 2 ** 31, clock }).execute(() => new Promise(() => {})));
    await clock.advance(2 ** 31 - 1);
    expect(call.state.status).toBe('pending');
    await clock.advance(1);
    expect(call.state.status).toBe('rejected');
    expect(clock.pendingTimers).toBe(0);
  });

  it('sleep 0 resolves on the next advance, sleep 2^31 at 2^31 ms', async () => {
    const clock = new ManualClock();
    const zero = observe(sleep(0, { clock }));
    const long = observe(sleep(2 ** 31, { clock }));
    await clock.advance(0);
    expect(zero.state.status).toBe('fulfilled');
    await clock.advance(2 ** 31 - 1);
    expect(long.state.status).toBe('pending');
    await clock.advance(1);
    expect(long.state.status).toBe('fulfilled');
  });

  it('ManualClock start 0.5 and 2^31 are the initial now()', () => {
    expect(new ManualClock({ start: 0.5 }).now()).toBe(0.5);
    expect(new ManualClock({ start: 2 ** 31 }).now()).toBe(2 ** 31);
    expect(new ManualClock().now()).toBe(0);
  });
});
