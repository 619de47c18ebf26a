// boundedQueue: filling then draining 1,000 items (the queue's own O(1) push and take), the
// async hand-over to a waiting consumer, and `for await` over a closed queue.
// The 100,000-item figures (time per item drained, bytes per queued item) come from
// bench/drain-100k.mjs, which measures retained memory and needs no harness.
import Yocto from 'yocto-queue';
import { boundedQueue } from '../dist/index.js';
import { VALUE } from './lib/tasks.mjs';

const ITEMS = 1_000;
const item = { id: 1 }; // one shared item: the figures are the queue's own cost

/** Checks that `n` items came out; VALUE when they did. */
const done = (n) => (n === ITEMS ? VALUE : -1);

// The floor: the same items written into, then read from, a preallocated array (no allocation).
const slots = new Array(ITEMS).fill(undefined);

function rawFillDrain() {
  for (let i = 0; i < ITEMS; i++) slots[i] = item;
  let n = 0;
  for (let i = 0; i < ITEMS; i++) {
    if (slots[i] === item) n++;
    slots[i] = undefined;
  }
  return done(n);
}

function arrayFillDrain() {
  const array = [];
  for (let i = 0; i < ITEMS; i++) array.push(item);
  let n = 0;
  while (array.length > 0) if (array.shift() === item) n++;
  return done(n);
}

function crackstopFillDrain() {
  const queue = boundedQueue({ capacity: ITEMS });
  for (let i = 0; i < ITEMS; i++) queue.tryPush(item);
  let n = 0;
  while (queue.size > 0) if (queue.tryTake() === item) n++;
  return done(n);
}

function yoctoFillDrain() {
  const queue = new Yocto();
  for (let i = 0; i < ITEMS; i++) queue.enqueue(item);
  let n = 0;
  while (queue.size > 0) if (queue.dequeue() === item) n++;
  return done(n);
}

// One long-lived queue for the hand-over scenario: a consumer waits, then a producer pushes.
const handover = boundedQueue({ capacity: 16, overflow: 'block' });

async function rawHandover() {
  let give;
  const taken = new Promise((resolve) => (give = resolve));
  give(item);
  return (await taken) === item ? VALUE : -1;
}

async function crackstopHandover() {
  const taken = handover.take();
  await handover.push(item);
  return (await taken) === item ? VALUE : -1;
}

async function rawIterate() {
  const array = new Array(ITEMS).fill(item);
  let n = 0;
  for await (const value of array) if (value === item) n++;
  return done(n);
}

async function crackstopIterate() {
  const queue = boundedQueue({ capacity: ITEMS });
  for (let i = 0; i < ITEMS; i++) queue.tryPush(item);
  queue.close();
  let n = 0;
  for await (const value of queue) if (value === item) n++;
  return done(n);
}

/** @type {import('./run.mjs').Scenario[]} */
export const scenarios = [
  {
    // Per item: divide by 1,000. Targets: <= 1 µs and <= 200 bytes per item over raw, where raw
    // is the floor: a preallocated array written and read by index.
    name: 'queue, fill then drain 1,000 items',
    expected: VALUE,
    target: { extraNs: 1_000 * ITEMS, extraBytes: 200 * ITEMS },
    raw: rawFillDrain,
    crackstop: crackstopFillDrain,
    peers: { 'Array push/shift (unbounded)': arrayFillDrain, 'yocto-queue (unbounded)': yoctoFillDrain },
  },
  {
    name: 'queue, take() waits, then push()',
    expected: VALUE,
    raw: rawHandover,
    crackstop: crackstopHandover,
  },
  {
    name: 'queue, for await over 1,000 items',
    expected: VALUE,
    raw: rawIterate,
    crackstop: crackstopIterate,
  },
];
