import assert from 'node:assert/strict';
import { constantBackoff, retry } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

const clock = new ManualClock();
const policy = retry({ clock, maxAttempts: 3, backoff: constantBackoff(1_000) });
let calls = 0;
const result = policy.execute(() => (++calls < 3 ? Promise.reject(new Error('flaky')) : 'ok'));
await clock.advance(2_000); // both 1 s backoff waits pass, no real time spent
assert.equal(await result, 'ok');
assert.equal(clock.pendingTimers, 0);
