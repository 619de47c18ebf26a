/**
 * What `snapshot()` saves and `initialState` restores.
 *
 * @module
 */
import { checkNumber, describeValue } from '../core/validate.js';
import { where } from './config.js';
import type { CircuitState } from './options.js';

/**
 * The content of a circuit's window, oldest first: the failure run (consecutive), the latest
 * outcomes (count; each a number: bit 0 failure, bit 1 slow), or the buckets (time; the last is
 * the current bucket).
 *
 * @example
 * ```ts
 * import type { CircuitWindowSnapshot } from 'crackstop';
 *
 * const run: CircuitWindowSnapshot = { kind: 'consecutive', failures: 2 };
 * ```
 */
export type CircuitWindowSnapshot =
  | { readonly kind: 'consecutive'; readonly failures: number }
  | { readonly kind: 'count'; readonly size: number; readonly outcomes: readonly number[] }
  | {
      readonly kind: 'time';
      readonly bucketMs: number;
      readonly calls: readonly number[];
      readonly failures: readonly number[];
      readonly slowCalls: readonly number[];
    };

/**
 * A circuit's state as plain JSON, from `breaker.snapshot()`, to hand to
 * `circuitBreaker({ initialState })` after a restart. Times are relative (`remainingOpenMs`),
 * because a monotonic clock's readings mean nothing in another process: a restored open circuit
 * stays open for the time it had left (time spent while the process was down is not deducted).
 * A half-open circuit restores half-open with no probe in flight; an isolated one restores
 * isolated, and only `reset()` ends it (isolation handles do not survive a restart). The window's
 * content is restored when the window is configured the same way, and starts empty otherwise.
 *
 * @example
 * ```ts
 * import { circuitBreaker, type CircuitSnapshot } from 'crackstop';
 *
 * const saved: CircuitSnapshot = circuitBreaker().snapshot();
 * const restored = circuitBreaker({ initialState: JSON.parse(JSON.stringify(saved)) });
 * ```
 */
export interface CircuitSnapshot {
  readonly version: 1;
  readonly state: CircuitState;
  /** Openings in a row since the circuit last closed (the step of a backoff `openMs`). */
  readonly openings: number;
  /** The duration of the latest opening, in ms (0 when none since the last close). */
  readonly lastOpenMs: number;
  /** When `state` is `open`: how long it had left to stay open, in ms; 0 otherwise. */
  readonly remainingOpenMs: number;
  readonly window: CircuitWindowSnapshot;
}

const states: readonly string[] = ['closed', 'open', 'half-open', 'isolated'];

function field(value: Record<string, unknown>, key: string, option: string, integer = false): number {
  return checkNumber(where, `initialState.${option}`, value[key], { min: 0, max: Number.MAX_SAFE_INTEGER, integer });
}

/** Checks that no bucket holds more failures (or slow calls) than calls. */
function withinCalls(part: readonly number[], calls: readonly number[], option: string): readonly number[] {
  part.forEach((n, i) => {
    const most = calls[i] ?? 0;
    if (n > most) throw new RangeError(`${where}: \`initialState.${option}[${i}]\` must be <= \`calls[${i}]\` (${most}), got ${n}`);
  });
  return part;
}

function counts(value: unknown, option: string, length: number | undefined): number[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    const expected = length === undefined ? 'an array' : `an array of ${length} numbers`;
    throw new TypeError(`${where}: \`initialState.${option}\` must be ${expected}, got ${describeValue(value)}`);
  }
  return value.map((n: unknown, i) => checkNumber(where, `initialState.${option}[${i}]`, n, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }));
}

function windowSnapshot(value: unknown): CircuitWindowSnapshot {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${where}: \`initialState.window\` must be an object, got ${describeValue(value)}`);
  }
  const w = value as Record<string, unknown>;
  switch (w['kind']) {
    case 'consecutive':
      return { kind: 'consecutive', failures: field(w, 'failures', 'window.failures', true) };
    case 'count': {
      const size = field(w, 'size', 'window.size');
      const outcomes = counts(w['outcomes'], 'window.outcomes', undefined);
      if (outcomes.length > size || outcomes.some((o) => o > 3)) {
        throw new RangeError(`${where}: \`initialState.window.outcomes\` must hold at most \`size\` codes in [0, 3], got ${outcomes.length} codes`);
      }
      return { kind: 'count', size, outcomes };
    }
    case 'time': {
      const calls = counts(w['calls'], 'window.calls', undefined);
      return {
        kind: 'time',
        bucketMs: field(w, 'bucketMs', 'window.bucketMs'),
        calls,
        failures: withinCalls(counts(w['failures'], 'window.failures', calls.length), calls, 'window.failures'),
        slowCalls: withinCalls(counts(w['slowCalls'], 'window.slowCalls', calls.length), calls, 'window.slowCalls'),
      };
    }
    default:
      throw new TypeError(`${where}: \`initialState.window.kind\` must be one of "consecutive", "count", "time", got ${describeValue(w['kind'])}`);
  }
}

/**
 * Validates a snapshot given as `initialState` (it may come from a file): TypeError or RangeError
 * naming the first bad field.
 *
 * @internal
 */
export function parseSnapshot(value: unknown): CircuitSnapshot {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: \`initialState\` must be an object from \`snapshot()\`, got ${describeValue(value)}`);
  }
  const s = value as Record<string, unknown>;
  if (s['version'] !== 1) throw new RangeError(`${where}: \`initialState.version\` must be 1, got ${describeValue(s['version'])}`);
  const state = s['state'];
  if (typeof state !== 'string' || !states.includes(state)) {
    throw new TypeError(`${where}: \`initialState.state\` must be one of ${states.map((x) => `"${x}"`).join(', ')}, got ${describeValue(state)}`);
  }
  return {
    version: 1,
    state: state as CircuitState,
    openings: field(s, 'openings', 'openings', true),
    lastOpenMs: field(s, 'lastOpenMs', 'lastOpenMs'),
    remainingOpenMs: field(s, 'remainingOpenMs', 'remainingOpenMs'),
    window: windowSnapshot(s['window']),
  };
}
