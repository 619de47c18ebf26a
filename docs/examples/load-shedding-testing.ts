import { loadShedder } from '../../src/index.js';
import { ManualClock, seededRandom } from '../../src/testing.js';

const clock = new ManualClock();
const shedder = loadShedder({ clock, latency: { targetMs: 100, windowMs: 1_000, minSamples: 5 }, ramp: 0.2, random: seededRandom(1) });

// Five slow calls (150 ms each, on the manual clock) put p99 at 1.5 x the target.
for (let i = 0; i < 5; i++) {
  const permit = shedder.tryAdmit('critical');
  await clock.advance(150);
  permit?.release();
}
console.log(shedder.isOverloaded(), shedder.tryAdmit('normal')); // true undefined
await clock.advance(1_000); // the window has moved past them
console.log(shedder.pressure()); // 0
