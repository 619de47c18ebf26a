/**
 * Links a caller's AbortSignal to the calls a policy runs under it, with one listener per
 * (signal, policy) however many calls are in flight. `AbortSignal.any` is not used: on Node 20 it
 * retains every dependant signal of a long-lived parent (nodejs/node#54614).
 *
 * @internal
 * @module
 */
import { Scope } from './scope.js';
import { describeValue } from './validate.js';

/** The root scope of one call made with a caller's signal; settles the caller's promise. */
class LinkedCall<T> extends Scope {
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
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
    this.reject(reason);
    this.abort(reason);
  }

  fulfilled(value: T): void {
    this.finish();
    this.resolve(value);
  }

  rejected(error: unknown): void {
    this.finish();
    this.reject(error);
  }

  finish(): void {
    if (this.done) return;
    this.done = true;
    this.link.remove(this as LinkedCall<unknown>);
  }
}

/** The one abort listener of a (signal, policy) pair, fanning out to the calls in flight. */
class SignalLink implements EventListenerObject {
  readonly calls: Set<LinkedCall<unknown>> = new Set();
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

  remove(call: LinkedCall<unknown>): void {
    this.calls.delete(call);
    if (this.calls.size === 0) {
      this.signal.removeEventListener('abort', this);
      this.links.delete(this.signal);
    }
  }
}

/** Per-policy registry of caller signals in use. */
export class SignalLinks {
  readonly #links: WeakMap<AbortSignal, SignalLink> = new WeakMap();

  /**
   * Runs `start` under a root scope linked to `signal`. The returned promise settles with the
   * inner result, or rejects with `signal.reason` as soon as the signal aborts.
   */
  run<T>(signal: AbortSignal, start: (scope: Scope) => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (typeof signal.addEventListener !== 'function') {
      return Promise.reject(new TypeError(`execute(): \`signal\` must be an AbortSignal, got ${describeValue(signal)}`));
    }
    const link = this.#links.get(signal) ?? new SignalLink(signal, this.#links);
    const call = new LinkedCall<T>(link);
    link.calls.add(call as LinkedCall<unknown>);
    const promise = new Promise<T>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
    });
    start(call).then(
      (value) => call.fulfilled(value),
      (error: unknown) => call.rejected(error),
    );
    return promise;
  }
}
