/**
 * The count window: a ring of the latest calls.
 *
 * @internal
 * @module
 */
import type { WindowConfig } from '../config.js';
import { crossed, type CallWindow, type WindowCounts, type CircuitWindowSnapshot } from './call-window.js';

const failureBit = 1;
const slowBit = 2;

/** The latest `size` calls in a ring of one byte each (bit 0: failure, bit 1: slow). */
export class CountWindow implements CallWindow {
  readonly needsTime = false;
  readonly #config: WindowConfig;
  readonly #ring: Uint8Array;
  #next = 0;
  #calls = 0;
  #failures = 0;
  #slowCalls = 0;

  constructor(config: WindowConfig) {
    this.#config = config;
    this.#ring = new Uint8Array(config.size);
  }

  record(failure: boolean, slow: boolean): boolean {
    const ring = this.#ring;
    const i = this.#next;
    if (this.#calls === ring.length) {
      const old = ring[i] as number;
      this.#failures -= old & failureBit;
      this.#slowCalls -= old >> 1;
    } else {
      this.#calls++;
    }
    ring[i] = (failure ? failureBit : 0) | (slow ? slowBit : 0);
    if (failure) this.#failures++;
    if (slow) this.#slowCalls++;
    this.#next = i + 1 === ring.length ? 0 : i + 1;
    return crossed(this.#config, this.#calls, this.#failures, this.#slowCalls);
  }

  clear(): void {
    this.#ring.fill(0);
    this.#next = this.#calls = this.#failures = this.#slowCalls = 0;
  }

  counts(): WindowCounts {
    return { calls: this.#calls, failures: this.#failures, slowCalls: this.#slowCalls };
  }

  snapshot(): CircuitWindowSnapshot {
    const ring = this.#ring;
    const outcomes: number[] = [];
    const start = this.#calls === ring.length ? this.#next : 0;
    for (let k = 0; k < this.#calls; k++) outcomes.push(ring[(start + k) % ring.length] as number);
    return { kind: 'count', size: ring.length, outcomes };
  }

  restore(snapshot: CircuitWindowSnapshot): void {
    if (snapshot.kind !== 'count' || snapshot.size !== this.#ring.length) return;
    this.clear();
    // Replayed without the threshold check: a restored window that had crossed would already be open.
    for (const code of snapshot.outcomes) this.record((code & failureBit) !== 0, (code & slowBit) !== 0);
  }
}
