// Events: the cost of the emit pattern policies use, with 0, 1 and 3 listeners. crackstop builds a
// payload only when somebody listens (`if (hub.hasListeners(type)) hub.emit({...})`), so with no
// listener an emit must cost nothing measurable. The peers emit the way their policies do: the
// payload is always built and handed to `emit`. Each function returns how many listener calls its
// emit made, so the smoke run checks that events are delivered.
import { EventEmitter as NodeEmitter } from 'node:events';
import { EventEmitter as CockatielEmitter } from 'cockatiel';
import { createEventHub, systemClock } from '../dist/index.js';

const outcome = { ok: false, error: new Error('boom'), attempt: 1 };
let delivered = 0;
const listener = () => {
  delivered++;
};

function scenario(listeners) {
  const hub = createEventHub();
  const node = new NodeEmitter();
  const cockatiel = new CockatielEmitter();
  for (let i = 0; i < listeners; i++) {
    hub.on('retry', listener);
    node.on('retry', listener);
    cockatiel.addListener(listener);
  }
  return {
    name: `emit, ${listeners} listener${listeners === 1 ? '' : 's'}`,
    expected: listeners,
    ...(listeners === 0 ? { target: { extraNs: 5 } } : {}),
    raw: () => listeners,
    crackstop: () => {
      const before = delivered;
      if (hub.hasListeners('retry')) {
        hub.emit({ type: 'retry', kind: 'retry', name: 'bench', time: systemClock.now(), attempt: 1, delayMs: 0, outcome });
      }
      return delivered - before;
    },
    peers: {
      'node:events': () => {
        const before = delivered;
        node.emit('retry', { name: 'bench', time: systemClock.now(), attempt: 1, delayMs: 0, outcome });
        return delivered - before;
      },
      cockatiel: () => {
        const before = delivered;
        cockatiel.emit({ name: 'bench', time: systemClock.now(), attempt: 1, delay: 0, outcome });
        return delivered - before;
      },
    },
  };
}

/** @type {import('./run.mjs').Scenario[]} */
export const scenarios = [scenario(0), scenario(1), scenario(3)];
