/**
 * Option validation shared by every factory. Factories validate once, at construction; nothing
 * here runs per call. Messages name the factory, the option, the expectation and the value
 * received, for example: ``retry(): `maxAttempts` must be an integer >= 1, got 0.5 (number)``.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { EventHub } from '../events/event-hub.js';

/** Renders a received value for an error message. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `${JSON.stringify(value)} (string)`;
    case 'number':
      return `${Object.is(value, -0) ? '-0' : String(value)} (number)`;
    case 'bigint':
      return `${String(value)}n (bigint)`;
    case 'boolean':
      return `${String(value)} (boolean)`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return `${String(value)} (symbol)`;
    default:
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : 'an object';
  }
}

/** The constraints on a numeric option. `finite` defaults to true. */
export interface NumberRule {
  readonly min?: number;
  /** `min` itself is not allowed (`> min` rather than `>= min`). */
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly integer?: boolean;
  /** Allow `Infinity` (and only positive infinity). */
  readonly allowInfinity?: boolean;
}

function expectation(rule: NumberRule): string {
  const kind = rule.integer === true ? 'an integer' : rule.allowInfinity === true ? 'a number' : 'a finite number';
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`${rule.minExclusive === true ? '>' : '>='} ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  const range = parts.length > 0 ? ` ${parts.join(' and ')}` : '';
  return `${kind}${range}${rule.allowInfinity === true ? ' (or Infinity)' : ''}`;
}

function fail(where: string, option: string, expected: string, value: unknown, Ctor: typeof TypeError): never {
  throw new Ctor(`${where}: \`${option}\` must be ${expected}, got ${describeValue(value)}`);
}

/** Checks a numeric option: TypeError for a non-number, RangeError for a number out of range. */
export function checkNumber(where: string, option: string, value: unknown, rule: NumberRule): number {
  const expected = expectation(rule);
  if (typeof value !== 'number') return fail(where, option, expected, value, TypeError);
  if (Number.isNaN(value)) return fail(where, option, expected, value, RangeError);
  if (value === Infinity && rule.allowInfinity === true) return value;
  if (!Number.isFinite(value)) return fail(where, option, expected, value, RangeError);
  if (rule.integer === true && !Number.isInteger(value)) return fail(where, option, expected, value, RangeError);
  if (rule.min !== undefined && (rule.minExclusive === true ? value <= rule.min : value < rule.min)) {
    return fail(where, option, expected, value, RangeError);
  }
  if (rule.max !== undefined && value > rule.max) return fail(where, option, expected, value, RangeError);
  return value;
}

/** Like {@link checkNumber}, but `undefined` gives `fallback`. */
export function optionalNumber(where: string, option: string, value: unknown, rule: NumberRule, fallback: number): number {
  return value === undefined ? fallback : checkNumber(where, option, value, rule);
}

/** Checks that an optional option is a function. */
export function optionalFunction<F>(where: string, option: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') return fail(where, option, 'a function', value, TypeError);
  return value as F;
}

/** Checks that an optional option is a boolean. */
export function optionalBoolean(where: string, option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') return fail(where, option, 'a boolean', value, TypeError);
  return value;
}

/** Checks that an optional option is one of a few strings. */
export function optionalChoice<C extends string>(where: string, option: string, value: unknown, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as C;
  const expected = `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`;
  return fail(where, option, expected, value, typeof value === 'string' ? RangeError : TypeError);
}

/** Checks that an optional option is a non-empty string. */
export function optionalString(where: string, option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) return fail(where, option, 'a non-empty string', value, TypeError);
  return value;
}

/** Checks that an optional option is an object that has the named methods. */
export function optionalObjectWith<O>(where: string, option: string, value: unknown, methods: readonly string[]): O | undefined {
  if (value === undefined) return undefined;
  const expected = `an object with ${methods.map((m) => `\`${m}()\``).join(', ')}`;
  if (typeof value !== 'object' || value === null) return fail(where, option, expected, value, TypeError);
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function') return fail(where, option, expected, value, TypeError);
  }
  return value as O;
}

/**
 * Checks the options object itself: `undefined` or a plain object whose keys are all known.
 * An unknown key is a TypeError naming it, so that a typo (`timeoutMs` for `ms`) is caught at
 * construction instead of silently falling back to a default.
 */
export function checkOptions(where: string, options: unknown, known: readonly string[]): Readonly<Record<string, unknown>> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option \`${key}\` (known options: ${known.map((k) => `\`${k}\``).join(', ')})`);
    }
  }
  return options as Readonly<Record<string, unknown>>;
}

/** Checks an optional `clock` option: an object with `now()`, `setTimeout()`, `clearTimeout()`. */
export function optionalClock(where: string, value: unknown): Clock | undefined {
  return optionalObjectWith<Clock>(where, 'clock', value, ['now', 'setTimeout', 'clearTimeout']);
}

/** Checks an optional `events` option: an object with the methods of an event hub. */
export function optionalEventHub(where: string, value: unknown): EventHub | undefined {
  return optionalObjectWith<EventHub>(where, 'events', value, ['on', 'onAny', 'emit', 'hasListeners']);
}
