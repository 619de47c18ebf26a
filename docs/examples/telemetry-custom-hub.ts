import {
  createEventHub,
  type EventHub,
  type EventListener,
  type ResilienceEvent,
  type ResilienceEventMap,
  type ResilienceEventType,
} from '../../src/index.js';

/** A hub that also writes the events a human should see as JSON lines; listeners subscribe as usual. */
export function loggingHub(write: (line: string) => void): EventHub {
  const inner = createEventHub();
  const logged: ReadonlySet<ResilienceEventType> = new Set(['retry.giveup', 'timeout', 'circuit.state', 'health.changed']);
  return {
    on<K extends ResilienceEventType>(type: K, listener: EventListener<ResilienceEventMap[K]>) {
      return inner.on(type, listener);
    },
    onAny: (listener) => inner.onAny(listener),
    // Policies build an event only when this says yes: true for what we log or someone listens to.
    hasListeners: (type) => logged.has(type) || inner.hasListeners(type),
    // Called inside the policy: never throw from here.
    emit(event: ResilienceEvent) {
      if (logged.has(event.type)) {
        try {
          write(JSON.stringify({ at: Date.now(), type: event.type, policy: event.name }));
        } catch {
          // a failing log sink must not fail the call
        }
      }
      inner.emit(event);
    },
  };
}
