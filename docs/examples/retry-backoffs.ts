import { constantBackoff, exponentialBackoff, linearBackoff } from '../../src/index.js';
import { seededRandom } from '../../src/testing.js';

const constant = constantBackoff(500); // 500, 500, 500, ...
const linear = linearBackoff({ initialMs: 100, stepMs: 200, maxMs: 1_000 }); // 100, 300, 500, ..., 1000
const exponential = exponentialBackoff({ initialMs: 100, maxMs: 2_000, jitter: 'none' }); // 100, 200, 400, ..., 2000
const jittered = exponentialBackoff({ initialMs: 100, maxMs: 2_000 }); // full jitter: in [0, 100], [0, 200], ...

// A backoff is a pure value: any retry's delay can be asked for (retry numbers start at 1).
const random = seededRandom(1);
for (const n of [1, 2, 3, 10]) {
  const delays = [constant, linear, exponential, jittered].map((b) => Math.round(b.delay(n, 0, random)));
  console.log(`retry ${n}: ${delays.join(' ')}`);
}
