/**
 * A fixed-priority view of a load shedder, to use as a policy in a pipeline.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { Task } from '../core/policy.js';
import { PolicyCore } from '../core/policy-core.js';
import type { Scope } from '../core/scope.js';
import type { EventHub } from '../events/event-hub.js';
import { priorities, type ShedPriority } from './priority.js';

/** The key of the method that admits and runs a call (a symbol: not part of the public surface). @internal */
export const admitCall: unique symbol = Symbol('admitCall');

/** What a view runs its calls through: the shedder. @internal */
export interface Admitter {
  readonly name: string;
  readonly clock: Clock;
  readonly events: EventHub;
  /** Admits and runs `fn` in `level` (0 critical, 1 normal, 2 sheddable), or rejects with a LoadShedError. */
  [admitCall]<T>(fn: Task<T>, parent: Scope | undefined, level: number): Promise<T>;
}

/**
 * A view of a shedder that admits every call in one priority class. It shares the shedder's
 * state; only the caller's signal is linked here (one listener per signal and view).
 *
 * @internal
 */
export class PriorityView extends PolicyCore {
  readonly priority: ShedPriority;
  readonly #shedder: Admitter;
  readonly #level: number;

  constructor(shedder: Admitter, level: number) {
    super('loadShedder().for()', 'load-shedder', { name: shedder.name, clock: shedder.clock, events: shedder.events });
    this.#shedder = shedder;
    this.#level = level;
    this.priority = priorities[level] as ShedPriority;
  }

  runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    return this.#shedder[admitCall](fn, parent, this.#level);
  }
}
