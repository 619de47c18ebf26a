/**
 * Iterators used by hand: several `next()` calls in flight on one iterator, `return()` among
 * other consumers, and what a long-lived iterator keeps alive.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { boundedQueue } from '../../src/index.js';
import { tick, track } from './track.js';

/** A full garbage collection, for tests that check what is retained. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const done = { done: true, value: undefined };

describe('boundedQueue › iterators with several next() in flight', () => {
  it('an iterator with two next() calls always in flight retains none of the items it handed out', async () => {
    const queue = boundedQueue<object>({ capacity: 4 });
    const iterator = queue.iterate();
    const inFlight = [iterator.next(), iterator.next()];
    const handedOut: WeakRef<object>[] = [];
    for (let i = 0; i < 1_000; i++) {
      const item = { i };
      handedOut.push(new WeakRef(item));
      queue.tryPush(item);
      expect(await inFlight.shift()).toEqual({ done: false, value: { i } });
      inFlight.push(iterator.next());
    }
    await tick(); // a WeakRef keeps its target until the end of the job that read it
    collectGarbage();
    // Before the fix each waiting next() linked to the one before it, so the iterator kept every
    // consumer it ever made, each holding its item: 1,000 items alive here.
    expect(handedOut.filter((ref) => ref.deref() !== undefined).length).toBeLessThanOrEqual(1);
    await iterator.return?.();
    expect(await Promise.all(inFlight)).toEqual([done, done]);
    expect(queue.waitingConsumers).toBe(0);
  });

  it('return() withdraws only its own waiting next() calls, whatever happened to them before', async () => {
    const queue = boundedQueue<number>({ capacity: 4 });
    const controller = new AbortController();
    const other = track(queue.take());
    const mine = queue.iterate({ signal: controller.signal });
    const handed = track(mine.next()); // gets item 1 below
    const later = track(queue.take());
    const withdrawn = [track(mine.next()), track(mine.next())];
    const last = track(queue.take());
    queue.tryPush(0); // to `other`
    queue.tryPush(1); // to `handed`
    await mine.return?.();
    controller.abort('too late'); // the returned iterator has nothing left waiting: no effect
    queue.tryPush(2); // to `later`: the withdrawn next() calls take nothing
    queue.tryPush(3); // to `last`
    await tick();
    expect(other.value).toBe(0);
    expect(handed.value).toEqual({ done: false, value: 1 });
    expect(later.value).toBe(2);
    expect(withdrawn.map((t) => t.value)).toEqual([done, done]);
    expect(last.value).toBe(3);
    expect([queue.size, queue.waitingConsumers, queue.taken]).toEqual([0, 0, 4]);
    expect(await mine.next()).toEqual(done);
  });

  it('next() calls that left by abort or close are not withdrawn again by return()', async () => {
    const queue = boundedQueue<number>({ capacity: 4 });
    const controller = new AbortController();
    const iterator = queue.iterate({ signal: controller.signal });
    const aborted = [track(iterator.next()), track(iterator.next())];
    controller.abort('stop');
    await iterator.return?.();
    await tick();
    expect(aborted.map((t) => t.error)).toEqual(['stop', 'stop']);
    const plain = queue.iterate();
    const ended = [track(plain.next()), track(plain.next())];
    queue.close();
    await plain.return?.();
    await tick();
    expect(ended.map((t) => t.value)).toEqual([done, done]);
    expect(queue.waitingConsumers).toBe(0);
  });
});
