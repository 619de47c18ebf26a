import { boundedQueue, createEventHub } from '../../src/index.js';

interface Sample {
  readonly at: number;
  readonly value: number;
}

const events = createEventHub();
let lost = 0;
events.on('queue.dropped', () => lost++); // every dropped item is reported: count them

// Telemetry buffer: keep the 10,000 newest samples; never block the code that records them.
const samples = boundedQueue<Sample>({ name: 'samples', capacity: 10_000, overflow: 'drop-oldest', events });

export function record(value: number): void {
  samples.tryPush({ at: Date.now(), value }); // O(1); evicts (and reports) the oldest when full
}

export async function flush(send: (batch: Sample[]) => Promise<void>): Promise<void> {
  const batch = samples.takeAll();
  if (batch.length > 0) await send(batch);
  console.log(`sent ${batch.length}, lost ${lost} so far; ledger: ${samples.pushed} = ${samples.taken} + ${samples.dropped} + ${samples.refused} + ${samples.size}`);
}
