/**
 * An intrusive doubly linked FIFO list of waiters: O(1) append, O(1) removal of the head and
 * O(1) removal of any waiter (an aborted one leaves at once, wherever it is), with no wrapper
 * allocated per entry.
 *
 * @internal
 * @module
 */

/** The link fields a waiter carries to be in a {@link WaitList}. Managed by the list only. */
export interface WaitNode<N> {
  prev: N | undefined;
  next: N | undefined;
  /** Whether the node is in a list right now. */
  linked: boolean;
}

/**
 * A FIFO of waiters linked through their own fields.
 *
 * @internal
 */
export class WaitList<N extends WaitNode<N>> {
  head: N | undefined = undefined;
  tail: N | undefined = undefined;
  size = 0;

  /** Appends `node` (which must not be in a list). */
  push(node: N): void {
    const tail = this.tail;
    node.prev = tail;
    node.next = undefined;
    node.linked = true;
    if (tail === undefined) this.head = node;
    else tail.next = node;
    this.tail = node;
    this.size++;
  }

  /** Removes and returns the oldest node. */
  shift(): N | undefined {
    const node = this.head;
    if (node !== undefined) this.remove(node);
    return node;
  }

  /** Removes `node`; false (and nothing changed) when it is not linked. */
  remove(node: N): boolean {
    if (!node.linked) return false;
    const { prev, next } = node;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    node.prev = undefined;
    node.next = undefined;
    node.linked = false;
    this.size--;
    return true;
  }
}
