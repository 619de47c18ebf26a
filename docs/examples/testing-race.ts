import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock, runUntilIdle, scheduleAdvance } from '../../src/testing.js';
import { createStockClient } from './testing-stock-client.js';

describe('stock client races', () => {
  it('settles exactly once whatever the order of answers, time and the caller abort', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }), fc.nat(4), async (s, answers, ticks) => {
        const clock = new ManualClock();
        // The scheduler decides when each load answers (true: 42, false: an error).
        const answer = s.scheduleFunction(async (ok: boolean) => ok);
        let loads = 0;
        const load = async () => ((await answer(answers[loads++ % answers.length] ?? true)) ? 42 : Promise.reject(new Error('503')));
        const client = createStockClient({ clock, load });
        const controller = new AbortController();
        const cancelled = new Error('cancelled');

        let settled = 0;
        const outcome = client.stock('sku-1', controller.signal).then(
          (value) => (settled++, value),
          (error: unknown) => (settled++, error),
        );
        s.schedule(Promise.resolve('abort')).then(() => controller.abort(cancelled)); // the abort, at any point
        for (let i = 0; i < ticks; i++) void scheduleAdvance(s, clock); // time passing, at any points
        await runUntilIdle(s, clock); // then let everything finish

        const result = await outcome;
        expect(settled).toBe(1);
        expect(result === 42 || result === cancelled || result instanceof Error).toBe(true);
        expect(clock.pendingTimers).toBe(0);
      }),
    );
  });
});
