/**
 * Validation of the circuit breaker's options, once, at construction.
 *
 * @internal
 * @module
 */
import { systemRandom } from '../clock/random.js';
import { commonKeys } from '../core/policy-core.js';
import { checkNumber, checkOptions, describeValue, optionalChoice, optionalFunction, optionalNumber, optionalObjectWith } from '../core/validate.js';
import type { Backoff } from '../retry/backoff.js';
import type { CircuitOutcome } from './options.js';

export const where = 'circuitBreaker()';

const maxMs = Number.MAX_SAFE_INTEGER;
const maxCount = Number.MAX_SAFE_INTEGER;

/** The validated window. `slowCallMs` is -1 when no call is slow; `slowCallRate` 2 when slowness cannot open. */
export interface WindowConfig {
  readonly kind: 'consecutive' | 'count' | 'time';
  /** consecutive: failures in a row; count: the ring size; time: the bucket count. */
  readonly size: number;
  readonly durationMs: number;
  readonly failureRate: number;
  readonly minimumCalls: number;
  readonly slowCallMs: number;
  readonly slowCallRate: number;
}

/** Every option, validated and with its default. */
export interface BreakerConfig {
  readonly window: WindowConfig;
  readonly openMs: number | Backoff;
  readonly maxProbes: number;
  readonly successesToClose: number;
  readonly probeTimeoutMs: number;
  readonly isFailure: ((outcome: CircuitOutcome<unknown>) => boolean) | undefined;
  readonly random: () => number;
  readonly initialState: unknown;
}

/** Checks a nested options object: a plain object whose keys are all known, named `parent.key`. */
function nested(parent: string, value: unknown, known: readonly string[]): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: \`${parent}\` must be an object, got ${describeValue(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option \`${parent}.${key}\` (known: ${known.map((k) => `\`${k}\``).join(', ')})`);
    }
  }
  return value as Readonly<Record<string, unknown>>;
}

const rate = { min: 0, minExclusive: true, max: 1 } as const;

function windowConfig(value: unknown): WindowConfig {
  if (value === undefined) {
    return { kind: 'consecutive', size: 5, durationMs: 0, failureRate: 1, minimumCalls: 1, slowCallMs: -1, slowCallRate: 2 };
  }
  const raw = nested('window', value, typeof value === 'object' && value !== null ? Object.keys(value) : [])['kind'];
  if (raw === undefined) throw new TypeError(`${where}: \`window.kind\` must be one of "consecutive", "count", "time", got undefined`);
  const kind = optionalChoice(where, 'window.kind', raw, ['consecutive', 'count', 'time'], 'consecutive');
  if (kind === 'consecutive') {
    const w = nested('window', value, ['kind', 'failures', 'slowCallMs']);
    const failures = optionalNumber(where, 'window.failures', w['failures'], { min: 1, max: maxCount, integer: true }, 5);
    const slowCallMs = optionalNumber(where, 'window.slowCallMs', w['slowCallMs'], { min: 0, max: maxMs }, -1);
    return { kind, size: failures, durationMs: 0, failureRate: 1, minimumCalls: 1, slowCallMs, slowCallRate: 2 };
  }
  const common = ['kind', 'failureRate', 'minimumCalls', 'slowCallMs', 'slowCallRate'];
  const w = nested('window', value, kind === 'count' ? [...common, 'size'] : [...common, 'durationMs', 'buckets']);
  let size: number;
  let durationMs = 0;
  let minimumCalls: number;
  if (kind === 'count') {
    size = optionalNumber(where, 'window.size', w['size'], { min: 1, max: 1_000_000, integer: true }, 100);
    minimumCalls = optionalNumber(where, 'window.minimumCalls', w['minimumCalls'], { min: 1, max: size, integer: true }, size);
  } else {
    durationMs = optionalNumber(where, 'window.durationMs', w['durationMs'], { min: 1, max: maxMs }, 30_000);
    size = optionalNumber(where, 'window.buckets', w['buckets'], { min: 1, max: Math.min(10_000, Math.floor(durationMs)), integer: true }, Math.min(10, Math.floor(durationMs)));
    minimumCalls = optionalNumber(where, 'window.minimumCalls', w['minimumCalls'], { min: 1, max: maxCount, integer: true }, 10);
  }
  const failureRate = optionalNumber(where, 'window.failureRate', w['failureRate'], rate, 0.5);
  const slowCallMs = optionalNumber(where, 'window.slowCallMs', w['slowCallMs'], { min: 0, max: maxMs }, -1);
  if (slowCallMs < 0 && w['slowCallRate'] !== undefined) {
    throw new TypeError(`${where}: \`window.slowCallRate\` needs \`window.slowCallMs\` (which calls are slow), got slowCallMs undefined`);
  }
  const slowCallRate = slowCallMs < 0 ? 2 : optionalNumber(where, 'window.slowCallRate', w['slowCallRate'], rate, 1);
  return { kind, size, durationMs, failureRate, minimumCalls, slowCallMs, slowCallRate };
}

function openMsConfig(value: unknown): number | Backoff {
  if (value === undefined) return 10_000;
  if (typeof value === 'object' && value !== null) {
    const backoff = optionalObjectWith<Backoff>(where, 'openMs', value, ['delay']);
    if (backoff !== undefined) return backoff;
  }
  if (typeof value !== 'number') {
    throw new TypeError(`${where}: \`openMs\` must be a finite number >= 0 or a backoff (an object with \`delay()\`), got ${describeValue(value)}`);
  }
  return checkNumber(where, 'openMs', value, { min: 0, max: maxMs });
}

/** Validates every option of `circuitBreaker()`; throws TypeError or RangeError naming the first bad one. */
export function breakerConfig(options: unknown): { readonly common: Readonly<Record<string, unknown>>; readonly config: BreakerConfig } {
  const keys = [...commonKeys, 'window', 'openMs', 'halfOpen', 'isFailure', 'initialState', 'random'];
  const opts = checkOptions(where, options, keys);
  const window = windowConfig(opts['window']);
  const openMs = openMsConfig(opts['openMs']);
  const half = opts['halfOpen'] === undefined ? {} : nested('halfOpen', opts['halfOpen'], ['maxProbes', 'successesToClose', 'probeTimeoutMs']);
  const maxProbes = optionalNumber(where, 'halfOpen.maxProbes', half['maxProbes'], { min: 1, max: maxCount, integer: true }, 1);
  const successesToClose = optionalNumber(where, 'halfOpen.successesToClose', half['successesToClose'], { min: 1, max: maxCount, integer: true }, maxProbes);
  const probeTimeoutMs = optionalNumber(where, 'halfOpen.probeTimeoutMs', half['probeTimeoutMs'], { min: 0, minExclusive: true, max: maxMs }, 10_000);
  const isFailure = optionalFunction<(outcome: CircuitOutcome<unknown>) => boolean>(where, 'isFailure', opts['isFailure']);
  const random = optionalFunction<() => number>(where, 'random', opts['random']) ?? systemRandom;
  const config = { window, openMs, maxProbes, successesToClose, probeTimeoutMs, isFailure, random, initialState: opts['initialState'] };
  return { common: opts, config };
}
