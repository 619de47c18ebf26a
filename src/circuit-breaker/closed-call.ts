/**
 * The outcome handlers of closed-state calls.
 *
 * @internal
 * @module
 */
import type { Scope } from '../core/scope.js';

/** What a closed call reports its outcome to (the breaker). */
export interface ClosedHost {
  closedFulfilled(call: ClosedCall, value: unknown): void;
  closedFailed(call: ClosedCall, error: unknown): void;
}

/**
 * What the breaker must know when a closed-state call settles: the generation it was admitted
 * in, when it started (NaN when it was not timed) and its parent scope, with the two handlers
 * handed to the function's promise. Untimed calls without a parent differ only by generation, so
 * they share one per generation: the closed path then allocates no closure per call.
 */
export class ClosedCall {
  readonly host: ClosedHost;
  readonly generation: number;
  readonly startedAt: number;
  readonly parent: Scope | undefined;
  readonly fulfilled = (value: unknown): unknown => {
    this.host.closedFulfilled(this, value);
    return value;
  };
  readonly rejected = (error: unknown): never => {
    this.host.closedFailed(this, error);
    throw error;
  };

  constructor(host: ClosedHost, generation: number, startedAt: number, parent: Scope | undefined) {
    this.host = host;
    this.generation = generation;
    this.startedAt = startedAt;
    this.parent = parent;
  }
}
