import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock, runUntilIdle, scheduleAdvance } from '../../src/testing.js';

describe('testing › scheduleAdvance and runUntilIdle', () => {
  it('scheduleAdvance fires the next timer when the scheduler picks it, and the scheduler waits for it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const clock = new ManualClock();
        const order: string[] = [];
        clock.setTimeout(() => order.push(`timer@${clock.now()}`), 1_000);
        void scheduleAdvance(s, clock);
        s.schedule(Promise.resolve('task')).then(() => order.push(`task@${clock.now()}`));
        await s.waitIdle();
        // Whatever the order, the task saw either the time before the timer or after it fired.
        expect([
          ['timer@1000', 'task@1000'],
          ['task@0', 'timer@1000'],
        ]).toContainEqual(order);
        expect(clock.pendingTimers).toBe(0);
      }),
    );
  });

  it('scheduleAdvance with no pending timer does nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const clock = new ManualClock({ start: 10 });
        await Promise.all([scheduleAdvance(s, clock, 'tick'), s.waitIdle()]);
        expect(clock.now()).toBe(10);
      }),
      { numRuns: 5 },
    );
  });

  it('runUntilIdle releases scheduled work and fires timers, including ones the work sets, and returns how many fired', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 0, max: 5 }), async (s, hops) => {
        const clock = new ManualClock();
        let done = 0;
        // A chain: scheduled task -> timer -> scheduled task -> timer ...
        const hop = (left: number): void => {
          if (left === 0) {
            done++;
            return;
          }
          s.schedule(Promise.resolve(left)).then(() => clock.setTimeout(() => hop(left - 1), 100));
        };
        hop(hops);
        const fired = await runUntilIdle(s, clock);
        expect(done).toBe(1);
        expect(fired).toBe(hops);
        expect(clock.now()).toBe(hops * 100);
        expect([s.count(), clock.pendingTimers]).toEqual([0, 0]);
      }),
    );
  });

  it('runUntilIdle throws after maxSteps when work keeps re-arming itself', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const clock = new ManualClock();
        const again = (): void => void clock.setTimeout(again, 1);
        again();
        await expect(runUntilIdle(s, clock, { maxSteps: 50 })).rejects.toThrow(/still busy after 50 rounds/);
      }),
      { numRuns: 3 },
    );
  });

  it('rejects bad options', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const clock = new ManualClock();
        await expect(runUntilIdle(s, clock, { maxSteps: 0 })).rejects.toThrow(RangeError);
        expect(() => scheduleAdvance(s, clock, '')).toThrow(TypeError);
      }),
      { numRuns: 1 },
    );
  });
});
