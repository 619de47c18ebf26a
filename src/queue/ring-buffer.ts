/**
 * A growable circular buffer: O(1) push and shift, never `Array#shift`.
 *
 * @internal
 * @module
 */

const initialLength = 16;

/**
 * A FIFO of values in a power-of-two array used circularly. It grows by doubling when full (the
 * owner bounds its size); a slot is cleared as soon as its value leaves, so nothing taken is
 * retained.
 *
 * @internal
 */
export class RingBuffer<T> {
  #items: (T | undefined)[] = new Array<T | undefined>(initialLength).fill(undefined);
  #mask = initialLength - 1;
  #head = 0;
  size = 0;

  /** Appends `value`. */
  push(value: T): void {
    if (this.size > this.#mask) this.#grow();
    this.#items[(this.#head + this.size) & this.#mask] = value;
    this.size++;
  }

  /** Removes and returns the oldest value (`undefined` when empty: check `size` first). */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const items = this.#items;
    const head = this.#head;
    const value = items[head];
    items[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    this.size--;
    return value;
  }

  #grow(): void {
    const old = this.#items;
    const length = old.length;
    const items = new Array<T | undefined>(length * 2).fill(undefined);
    for (let i = 0; i < length; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#head = 0;
    this.#mask = length * 2 - 1;
  }
}
