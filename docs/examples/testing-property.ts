import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failureSchedule, ManualClock, scriptedTask, seededRandom } from '../../src/testing.js';
import { createStockClient } from './testing-stock-client.js';

describe('stock client under any failure schedule', () => {
  it('makes at most 3 calls, answers within 3.6 s of virtual time, and leaves nothing running', async () => {
    const schedules = failureSchedule(fc, { errors: [new Error('503'), new Error('ECONNRESET')], values: [0, 7, 42], maxLatencyMs: 1_500, hangs: true });
    await fc.assert(
      fc.asyncProperty(schedules, fc.integer(), async (steps, seed) => {
        const clock = new ManualClock();
        const downstream = scriptedTask(steps, { clock }); // a fake backend that follows the schedule
        const client = createStockClient({ clock, random: seededRandom(seed), load: (_sku, signal) => downstream.run({ signal }) });

        const outcome = client.stock('sku-1').then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        await clock.runAll();
        const result = await outcome;

        expect(downstream.calls).toBeLessThanOrEqual(3);
        expect(clock.now()).toBeLessThanOrEqual(3 * 1_000 + 200 + 400); // 3 deadlines, 2 backoffs at most
        expect(downstream.active).toBe(0); // every hang was aborted by its deadline
        if ('value' in result) expect([0, 7, 42]).toContain(result.value);
      }),
    );
  });
});
