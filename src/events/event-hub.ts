/**
 * The event hub: typed subscription, emission that never fails a call, and a cheap check so that
 * policies build payloads only when somebody listens.
 *
 * @module
 */
import { checkOptions, optionalFunction } from '../core/validate.js';
import type { ResilienceEvent, ResilienceEventMap, ResilienceEventType } from './types.js';

/**
 * A listener of one event type.
 *
 * @example
 * ```ts
 * import { createEventHub, type EventListener, type RetryEvent } from 'crackstop';
 *
 * const onRetry: EventListener<RetryEvent> = (e) => console.log(`retry #${e.attempt} in ${e.delayMs} ms`);
 * createEventHub().on('retry', onRetry);
 * ```
 */
export type EventListener<E> = (event: E) => void;

/**
 * A typed event stream that any number of policies can share.
 *
 * @example
 * ```ts
 * import { createEventHub, retry } from 'crackstop';
 *
 * const events = createEventHub();
 * const stop = events.on('retry', (e) => console.log(`${e.name}: attempt ${e.attempt} failed, retrying in ${e.delayMs} ms`));
 * const policy = retry({ events, name: 'inventory' });
 * stop(); // unsubscribe
 * ```
 */
export interface EventHub {
  /** Listens to one event type; returns a function that unsubscribes (idempotent). */
  on<K extends ResilienceEventType>(type: K, listener: EventListener<ResilienceEventMap[K]>): () => void;
  /** Listens to every event; returns a function that unsubscribes (idempotent). */
  onAny(listener: EventListener<ResilienceEvent>): () => void;
  /** Whether anybody listens to `type` (policies build a payload only when this is true). */
  hasListeners(type: ResilienceEventType): boolean;
  /**
   * Delivers `event` to its listeners, then to `onAny` listeners, in subscription order. A
   * listener that throws does not stop the others and never reaches the caller: its error goes
   * to `onListenerError`. A custom implementation of this interface must not throw either:
   * policies do not catch errors from `emit`, and one could fail the call being reported.
   */
  emit(event: ResilienceEvent): void;
}

/**
 * Options of {@link createEventHub}.
 *
 * @example
 * ```ts
 * import { createEventHub, type EventHubOptions } from 'crackstop';
 *
 * const options: EventHubOptions = { onListenerError: (error, event) => console.warn(`listener of ${event.type} failed`, error) };
 * const events = createEventHub(options);
 * ```
 */
export interface EventHubOptions {
  /**
   * Called once for each error thrown by a listener, with the event it was handling. It must not
   * throw (if it does, the error is dropped).
   *
   * @defaultValue reports through `console.error`
   */
  readonly onListenerError?: (error: unknown, event: ResilienceEvent) => void;
}

type AnyListener = EventListener<ResilienceEvent>;

function defaultListenerError(error: unknown, event: ResilienceEvent): void {
  console.error(`crackstop: a listener of '${event.type}' (${event.kind} '${event.name}') threw:`, error);
}

/**
 * A copy of `listeners` without one occurrence of `listener` (the same function subscribed twice
 * is two subscriptions, and each unsubscribe removes one).
 */
function without(listeners: readonly AnyListener[], listener: AnyListener): readonly AnyListener[] {
  const index = listeners.indexOf(listener);
  return index === -1 ? listeners : [...listeners.slice(0, index), ...listeners.slice(index + 1)];
}

class Hub implements EventHub {
  // Listener arrays are replaced on (un)subscribe, never mutated, so emit iterates them as they are.
  readonly #byType: Map<string, readonly AnyListener[]> = new Map();
  #any: readonly AnyListener[] = [];
  /** Live subscriptions of either kind. */
  #subscriptions = 0;
  readonly #onListenerError: (error: unknown, event: ResilienceEvent) => void;

  constructor(onListenerError: ((error: unknown, event: ResilienceEvent) => void) | undefined) {
    this.#onListenerError = onListenerError ?? defaultListenerError;
  }

  on<K extends ResilienceEventType>(type: K, listener: EventListener<ResilienceEventMap[K]>): () => void {
    if (typeof listener !== 'function') throw new TypeError(`EventHub.on(): the listener must be a function, got ${typeof listener}`);
    const entry = listener as AnyListener;
    this.#byType.set(type, [...(this.#byType.get(type) ?? []), entry]);
    this.#subscriptions++;
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const rest = without(this.#byType.get(type) ?? [], entry);
      this.#subscriptions--;
      if (rest.length === 0) this.#byType.delete(type);
      else this.#byType.set(type, rest);
    };
  }

  onAny(listener: EventListener<ResilienceEvent>): () => void {
    if (typeof listener !== 'function') throw new TypeError(`EventHub.onAny(): the listener must be a function, got ${typeof listener}`);
    this.#any = [...this.#any, listener];
    this.#subscriptions++;
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.#any = without(this.#any, listener);
      this.#subscriptions--;
    };
  }

  hasListeners(type: ResilienceEventType): boolean {
    // The common case first: a hub nobody listens to answers without a Map lookup.
    return this.#subscriptions !== 0 && (this.#any.length > 0 || this.#byType.has(type));
  }

  emit(event: ResilienceEvent): void {
    const typed = this.#byType.get(event.type);
    if (typed !== undefined) for (const listener of typed) this.#deliver(listener, event);
    for (const listener of this.#any) this.#deliver(listener, event);
  }

  #deliver(listener: AnyListener, event: ResilienceEvent): void {
    try {
      listener(event);
    } catch (error) {
      try {
        this.#onListenerError(error, event);
      } catch {
        // The error reporter itself threw: nothing safe is left to report to.
      }
    }
  }
}

/**
 * Creates an event hub. Hand one hub to many policies (`events` option) to observe them all in
 * one place. With no listener, emitting costs nothing: policies check `hasListeners` first and
 * build no payload.
 *
 * @example
 * ```ts
 * import { createEventHub, pipeline, retry, timeout } from 'crackstop';
 *
 * const events = createEventHub({ onListenerError: (error) => console.warn('telemetry listener failed', error) });
 * events.onAny((event) => console.log(event.type, event.name, event.time));
 * const policy = pipeline(retry({ events }), timeout({ events, ms: 1_000 }));
 * ```
 */
export function createEventHub(options?: EventHubOptions): EventHub {
  const opts = checkOptions('createEventHub()', options, ['onListenerError']);
  return new Hub(optionalFunction('createEventHub()', 'onListenerError', opts['onListenerError']));
}
