import { loadShedder } from '../../src/index.js';
import { eventLoopPressure } from '../../src/node.js';

// Pressure 1 at 100 ms of event-loop delay (the mean of each 500 ms window).
const probe = eventLoopPressure({ maxDelayMs: 100 });
const shedder = loadShedder({ pressure: probe, maxInFlight: 500, ramp: 0.2 });

export const guarded = (work: () => Promise<string>) => shedder.execute(work, { priority: 'normal' });

process.once('SIGTERM', () => probe.dispose()); // stops the sampling; the probe then reads 0
