/**
 * Links a caller's AbortSignal to the calls a policy runs under it, with one listener per
 * (signal, policy) however many calls are in flight. `AbortSignal.any` is not used: on Node 20 it
 * retains every dependant signal of a long-lived parent (nodejs/node#54614).
 *
 * @internal
 * @module
 */
import type { Task } from './policy.js';
import { Scope } from './scope.js';
import { describeValue } from './validate.js';

/** The root scope of one call made with a caller's signal; rejects `aborted` on the caller's abort. */
class LinkedCall extends Scope {
  rejectAborted!: (reason: unknown) => void;
  done = false;
  readonly link: SignalLink;

  constructor(link: SignalLink) {
    super(1);
    this.link = link;
  }

  override parentAborted(reason: unknown): void {
    // The caller's abort wins: reject at once, then tell the inner policies so they start no
    // more work and release their timers. The inner promise is still observed (no unhandled
    // rejection) and ignored.
    this.finish();
    this.rejectAborted(reason);
    this.abort(reason);
  }

  finish(): void {
    if (this.done) return;
    this.done = true;
    this.link.remove(this);
  }
}

/** The one abort listener of a (signal, policy) pair, fanning out to the calls in flight. */
class SignalLink implements EventListenerObject {
  readonly calls: Set<LinkedCall> = new Set();
  readonly signal: AbortSignal;
  readonly links: WeakMap<AbortSignal, SignalLink>;

  constructor(signal: AbortSignal, links: WeakMap<AbortSignal, SignalLink>) {
    this.signal = signal;
    this.links = links;
    signal.addEventListener('abort', this);
    links.set(signal, this);
  }

  handleEvent(): void {
    const reason = this.signal.reason;
    for (const call of [...this.calls]) call.parentAborted(reason);
  }

  remove(call: LinkedCall): void {
    this.calls.delete(call);
    if (this.calls.size === 0) {
      this.signal.removeEventListener('abort', this);
      this.links.delete(this.signal);
    }
  }
}

/** What the registry runs a call with: a policy's internal run. */
interface ScopedRunner {
  runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T>;
}

/** Per-policy registry of caller signals in use. */
export class SignalLinks {
  readonly #links: WeakMap<AbortSignal, SignalLink> = new WeakMap();

  /**
   * Runs `policy.runScoped(fn)` under a root scope linked to `signal`. The returned promise settles with the
   * inner result, or rejects with `signal.reason` as soon as the signal aborts.
   *
   * The result is a `Promise.race` of promises derived from the inner one (never a promise
   * settled by hand) so that V8's async stack traces run from an error captured inside the
   * policies (a TimeoutError) up to the caller's `await`.
   */
  run<T>(signal: AbortSignal, policy: ScopedRunner, fn: Task<T>): Promise<T> {
    if (typeof signal?.addEventListener !== 'function') {
      return Promise.reject(new TypeError(`execute(): \`signal\` must be an AbortSignal, got ${describeValue(signal)}`));
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    const link = this.#links.get(signal) ?? new SignalLink(signal, this.#links);
    const call = new LinkedCall(link);
    link.calls.add(call);
    const aborted = new Promise<never>((_, reject) => {
      call.rejectAborted = reject;
    });
    let inner: Promise<T>;
    try {
      inner = policy.runScoped(fn, call);
    } catch (error) {
      call.finish(); // a policy that throws before its first attempt: no listener stays behind
      throw error;
    }
    const settled = inner.then(
      (value) => {
        call.finish();
        return value;
      },
      (error: unknown) => {
        call.finish();
        throw error;
      },
    );
    return Promise.race([settled, aborted]);
  }
}
