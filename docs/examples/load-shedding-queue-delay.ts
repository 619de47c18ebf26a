import { loadShedder, systemClock } from '../../src/index.js';

// The shedder admits work in front of a queue it cannot see (here: a worker pool of 4).
const shedder = loadShedder({ targetQueueDelayMs: 50, queueDelayIntervalMs: 100, maxInFlight: 40 });

const waiting: Array<() => void> = [];
let busy = 0;
async function inPool<T>(work: () => Promise<T>): Promise<T> {
  if (busy >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
  else busy++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next === undefined) busy--;
    else next();
  }
}

export function submit(job: () => Promise<void>): Promise<void> {
  const arrived = systemClock.now();
  return shedder.execute(() =>
    inPool(() => {
      // The work starts: report how long it waited since it was admitted.
      shedder.recordQueueDelay(systemClock.now() - arrived);
      return job();
    }),
  );
}
