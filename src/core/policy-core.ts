/**
 * The shared machinery of crackstop's own policies: name, clock, event hub, and the step from a
 * caller's `AbortSignal` to the internal cancellation scopes.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system-clock.js';
import { createEventHub, type EventHub } from '../events/event-hub.js';
import type { ExecuteOptions, Policy, Task } from './policy.js';
import type { Scope } from './scope.js';
import { SignalLinks } from './signal-link.js';
import { describeValue, optionalClock, optionalEventHub, optionalString } from './validate.js';

/** Whether `policy` is one of crackstop's own, from this copy of the library. */
export function isScoped(policy: Policy): policy is PolicyCore {
  return policy instanceof PolicyCore;
}

/**
 * Options every policy factory accepts.
 *
 * @example
 * ```ts
 * import { createEventHub, retry, systemClock, timeout, type CommonOptions } from 'crackstop';
 *
 * const shared: CommonOptions = { clock: systemClock, events: createEventHub() };
 * const policies = [retry({ ...shared, name: 'orders.retry' }), timeout({ ...shared, name: 'orders.timeout', ms: 500 })];
 * ```
 */
export interface CommonOptions {
  /** A name carried by every event of the policy. Defaults to the policy's kind. */
  readonly name?: string;
  /** The source of time and timers. @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** Where the policy's events go; share one hub between many policies. @defaultValue a new hub */
  readonly events?: EventHub;
}

/**
 * Checks the options every factory accepts (`name`, `clock`, `events`) and applies their defaults:
 * the kind as name, `systemClock`, a new hub.
 */
export function commonSettings(where: string, kind: string, options: Readonly<Record<string, unknown>>): { readonly name: string; readonly clock: Clock; readonly events: EventHub } {
  return {
    name: optionalString(where, 'name', options['name'], kind),
    clock: optionalClock(where, options['clock']) ?? systemClock,
    events: optionalEventHub(where, options['events']) ?? createEventHub(),
  };
}

/** The option keys of {@link CommonOptions}. */
export const commonKeys: readonly string[] = ['name', 'clock', 'events'];

/** Base of crackstop's own policies. */
export abstract class PolicyCore implements Policy {
  /** The policy's name, carried by its events. */
  readonly name: string;
  /** The clock the policy reads time and sets timers from. */
  readonly clock: Clock;
  /** The hub the policy's events go to. */
  readonly events: EventHub;
  #links: SignalLinks | undefined = undefined;

  constructor(where: string, kind: string, options: Readonly<Record<string, unknown>>) {
    const common = commonSettings(where, kind, options);
    this.name = common.name;
    this.clock = common.clock;
    this.events = common.events;
  }

  execute<T>(fn: Task<T>, options?: ExecuteOptions): Promise<T> {
    // A programming error, not a transient failure: no retry, no breaker count, no timer.
    if (typeof fn !== 'function') return Promise.reject(new TypeError(`execute(): \`fn\` must be a function, got ${describeValue(fn)}`));
    try {
      const signal = options?.signal;
      if (signal === undefined) return this.runScoped(fn, undefined);
      return (this.#links ??= new SignalLinks()).run(signal, this, fn);
    } catch (error) {
      // Reject, never throw: an exotic `signal` whose getters throw, or a user-supplied part of a
      // policy (a budget, a clock) that throws before the first attempt.
      return Promise.reject(error);
    }
  }

  /**
   * Runs `fn` with an internal cancellation scope as parent: how crackstop's policies call each
   * other without creating an AbortSignal nobody reads.
   *
   * @internal
   */
  abstract runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T>;
}
