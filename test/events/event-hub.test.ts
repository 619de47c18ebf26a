import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventHub, type ResilienceEvent, type TimeoutEvent, type TimeoutLateEvent } from '../../src/index.js';

const timeoutEvent: TimeoutEvent = { type: 'timeout', kind: 'timeout', name: 't', time: 5, timeoutMs: 5, attempt: 1 };
const lateEvent: TimeoutLateEvent = {
  type: 'timeout.late',
  kind: 'timeout',
  name: 't',
  time: 9,
  outcome: 'fulfilled',
  error: undefined,
  lateByMs: 4,
  timeoutMs: 5,
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createEventHub', () => {
  it('on() delivers only its type; onAny() delivers every type; typed listeners first, each in subscription order', () => {
    const hub = createEventHub();
    const log: string[] = [];
    hub.onAny((e) => log.push(`any1:${e.type}`));
    hub.on('timeout', (e) => log.push(`t1:${e.type}`));
    hub.on('timeout.late', (e) => log.push(`late:${e.type}`));
    hub.on('timeout', (e) => log.push(`t2:${e.type}`));
    hub.onAny((e) => log.push(`any2:${e.type}`));
    hub.emit(timeoutEvent);
    hub.emit(lateEvent);
    expect(log).toEqual([
      't1:timeout',
      't2:timeout',
      'any1:timeout',
      'any2:timeout',
      'late:timeout.late',
      'any1:timeout.late',
      'any2:timeout.late',
    ]);
  });

  it('delivers the event object itself', () => {
    const hub = createEventHub();
    const seen: ResilienceEvent[] = [];
    hub.on('timeout', (e) => seen.push(e));
    hub.onAny((e) => seen.push(e));
    hub.emit(timeoutEvent);
    expect(seen).toEqual([timeoutEvent, timeoutEvent]);
    expect(seen[0]).toBe(timeoutEvent);
  });

  it('unsubscribe stops delivery and is idempotent', () => {
    const hub = createEventHub();
    const typed = vi.fn();
    const any = vi.fn();
    const offTyped = hub.on('timeout', typed);
    const offAny = hub.onAny(any);
    hub.emit(timeoutEvent);
    offTyped();
    offTyped();
    offAny();
    offAny();
    hub.emit(timeoutEvent);
    expect(typed).toHaveBeenCalledTimes(1);
    expect(any).toHaveBeenCalledTimes(1);
  });

  it('treats the same function subscribed twice as two subscriptions: one unsubscribe removes one', () => {
    const hub = createEventHub();
    const listener = vi.fn();
    const offFirst = hub.on('timeout', listener);
    hub.on('timeout', listener);
    const offAnyFirst = hub.onAny(listener);
    hub.onAny(listener);
    hub.emit(timeoutEvent);
    expect(listener).toHaveBeenCalledTimes(4);
    offFirst();
    offFirst(); // idempotent: must not remove the second subscription
    offAnyFirst();
    offAnyFirst();
    hub.emit(timeoutEvent);
    expect(listener).toHaveBeenCalledTimes(6);
    expect(hub.hasListeners('timeout')).toBe(true);
  });

  it('hasListeners is true exactly while somebody listens to that type (or to every type)', () => {
    const hub = createEventHub();
    expect(hub.hasListeners('timeout')).toBe(false);
    const off = hub.on('timeout', () => {});
    expect(hub.hasListeners('timeout')).toBe(true);
    expect(hub.hasListeners('retry')).toBe(false);
    off();
    expect(hub.hasListeners('timeout')).toBe(false);
    const offAny = hub.onAny(() => {});
    expect(hub.hasListeners('timeout')).toBe(true);
    expect(hub.hasListeners('retry.giveup')).toBe(true);
    offAny();
    expect(hub.hasListeners('retry.giveup')).toBe(false);
  });

  it('failure mode 34: a listener that throws stops no other listener; onListenerError gets each error once, with its event', () => {
    const errors: Array<[unknown, ResilienceEvent]> = [];
    const hub = createEventHub({ onListenerError: (error, event) => errors.push([error, event]) });
    const boomTyped = new Error('typed listener');
    const boomAny = new Error('any listener');
    const after = vi.fn();
    hub.on('timeout', () => {
      throw boomTyped;
    });
    hub.onAny(() => {
      throw boomAny;
    });
    hub.on('timeout', after);
    hub.onAny(after);
    expect(() => hub.emit(timeoutEvent)).not.toThrow();
    expect(() => hub.emit(lateEvent)).not.toThrow();
    expect(after).toHaveBeenCalledTimes(3);
    expect(errors).toEqual([
      [boomTyped, timeoutEvent],
      [boomAny, timeoutEvent],
      [boomAny, lateEvent],
    ]);
  });

  it('a throwing onListenerError is dropped: emit still does not throw and later listeners still run', () => {
    const hub = createEventHub({
      onListenerError: () => {
        throw new Error('reporter broke');
      },
    });
    const after = vi.fn();
    hub.onAny(() => {
      throw new Error('listener broke');
    });
    hub.onAny(after);
    expect(() => hub.emit(timeoutEvent)).not.toThrow();
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('reports listener errors through console.error by default, once each', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const hub = createEventHub();
    const boom = new Error('listener broke');
    hub.on('timeout', () => {
      throw boom;
    });
    hub.emit(timeoutEvent);
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(consoleError.mock.calls[0]).toContain(boom);
    expect(String(consoleError.mock.calls[0]?.[0])).toContain("'timeout'");
  });

  it('subscribing or unsubscribing during an emit affects the next emit only', () => {
    const hub = createEventHub();
    const log: string[] = [];
    const late = (): void => {
      log.push('late');
    };
    let offSecond: () => void = () => {};
    hub.on('timeout', () => {
      log.push('first');
      hub.on('timeout', late);
      offSecond();
    });
    offSecond = hub.on('timeout', () => log.push('second'));
    hub.emit(timeoutEvent);
    expect(log).toEqual(['first', 'second']);
    log.length = 0;
    hub.emit(timeoutEvent);
    expect(log).toEqual(['first', 'late']);
  });

  it('throws a TypeError for a listener that is not a function', () => {
    const hub = createEventHub();
    expect(() => hub.on('timeout', 5 as never)).toThrow(TypeError);
    expect(() => hub.onAny(null as never)).toThrow(TypeError);
    expect(hub.hasListeners('timeout')).toBe(false);
  });
});
