/**
 * A cancellation scope: the cheap stand-in for an AbortController that policies pass each other.
 *
 * @internal
 * @module
 */
import type { AttemptContext } from './policy.js';

/** Something to tell when a scope aborts. */
export interface AbortTarget {
  /** Called once, synchronously, when the scope this target is attached to aborts. */
  parentAborted(reason: unknown): void;
}

/**
 * One node of the cancellation tree of a call. It is the {@link AttemptContext} a policy hands
 * its function, and the parent a composed inner policy attaches to. The `AbortController` behind
 * `signal` is created only if somebody reads `signal`; aborting a scope aborts that controller
 * (if any) and every attached target, each exactly once. A scope is never aborted on success.
 *
 * @internal
 */
export class Scope implements AttemptContext, AbortTarget {
  aborted = false;
  reason: unknown = undefined;
  readonly attempt: number;
  #controller: AbortController | undefined = undefined;
  #target: AbortTarget | undefined = undefined;
  #more: AbortTarget[] | undefined = undefined;

  constructor(attempt: number) {
    this.attempt = attempt;
  }

  get signal(): AbortSignal {
    let controller = this.#controller;
    if (controller === undefined) {
      controller = this.#controller = new AbortController();
      if (this.aborted) controller.abort(this.reason);
    }
    return controller.signal;
  }

  /** Aborts this scope with `reason`; later calls do nothing. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const target = this.#target;
    const more = this.#more;
    this.#target = undefined;
    this.#more = undefined;
    this.#controller?.abort(reason);
    target?.parentAborted(reason);
    if (more !== undefined) for (const t of more) t.parentAborted(reason);
  }

  parentAborted(reason: unknown): void {
    this.abort(reason);
  }

  /** Attaches a target, told at once if this scope has already aborted. */
  attach(target: AbortTarget): void {
    if (this.aborted) {
      target.parentAborted(this.reason);
    } else if (this.#target === undefined) {
      this.#target = target;
    } else {
      (this.#more ??= []).push(target);
    }
  }

  /** Detaches a target; a target that is not attached is ignored. */
  detach(target: AbortTarget): void {
    if (this.#target === target) {
      this.#target = this.#more?.pop();
      return;
    }
    const more = this.#more;
    if (more === undefined) return;
    const index = more.indexOf(target);
    if (index !== -1) more.splice(index, 1);
  }
}
