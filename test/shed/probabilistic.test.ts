import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadShedder, type ShedPriority } from '../../src/index.js';
import { seededRandom } from '../../src/testing.js';
import { recordingHub } from './helpers.js';

/** The fraction of `n` calls of `priority` refused at a fixed pressure. */
function refusedFraction(load: number, priority: ShedPriority, n: number, seed: number): number {
  const shedder = loadShedder({ pressure: () => load, ramp: 0.25, random: seededRandom(seed) });
  let refused = 0;
  for (let i = 0; i < n; i++) {
    const permit = shedder.tryAdmit(priority);
    if (permit === undefined) refused++;
    else permit.release();
  }
  return refused / n;
}

describe('loadShedder › probabilistic shedding (ramp)', () => {
  it('refuses with a probability rising linearly below each threshold', () => {
    // sheddable: 0 at 0.5, 1 at 0.75. normal: 0 at 0.65, 1 at 0.9.
    expect(refusedFraction(0.5, 'sheddable', 2_000, 1)).toBe(0);
    expect(refusedFraction(0.625, 'sheddable', 20_000, 2)).toBeCloseTo(0.5, 1);
    expect(refusedFraction(0.75, 'sheddable', 2_000, 3)).toBe(1);
    expect(refusedFraction(0.65, 'normal', 2_000, 4)).toBe(0);
    expect(refusedFraction(0.7, 'normal', 20_000, 5)).toBeCloseTo(0.2, 1);
    expect(refusedFraction(0.9, 'normal', 2_000, 6)).toBe(1);
    expect(refusedFraction(1, 'critical', 2_000, 7)).toBe(0);
  });

  it('is deterministic for a given random source, and the event says it was a draw', () => {
    const run = () => {
      const { events, seen } = recordingHub();
      const shedder = loadShedder({ events, pressure: () => 0.6, ramp: 0.2, random: seededRandom(42) });
      const outcomes = Array.from({ length: 50 }, () => {
        const p = shedder.tryAdmit('sheddable');
        p?.release();
        return p !== undefined;
      });
      return { outcomes, seen };
    };
    const a = run();
    expect(run().outcomes).toEqual(a.outcomes);
    expect(a.outcomes).toContain(true);
    expect(a.outcomes).toContain(false);
    expect(a.seen.every((e) => e.type === 'shed' && e.random)).toBe(true);
  });

  it('the random source is not read outside the ramp (no draw below it, none at or past the threshold)', () => {
    let draws = 0;
    let load = 0.1;
    const random = () => {
      draws++;
      return 0.5;
    };
    const shedder = loadShedder({ pressure: () => load, ramp: 0.2, random });
    shedder.tryAdmit('sheddable')?.release();
    load = 0.8;
    shedder.tryAdmit('sheddable')?.release();
    shedder.tryAdmit('critical')?.release();
    expect(draws).toBe(0);
    load = 0.6;
    shedder.tryAdmit('sheddable')?.release();
    expect(draws).toBe(1);
  });

  it('property: the refusal probability is monotone in load, and never lower for a lower class', () => {
    // With a fixed draw r, a call is refused iff its probability exceeds r: monotone probabilities
    // mean monotone outcomes for every r.
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b, r, normal, sheddableFraction) => {
          const sheddable = Math.max(0.01, normal * sheddableFraction);
          const ramp = sheddable / 2;
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const refused = (load: number, priority: ShedPriority) => {
            const shedder = loadShedder({ pressure: () => load, ramp, thresholds: { normal, sheddable }, random: () => r });
            const permit = shedder.tryAdmit(priority);
            permit?.release();
            return permit === undefined;
          };
          for (const p of ['sheddable', 'normal', 'critical'] as const) {
            if (refused(lo, p)) expect(refused(hi, p)).toBe(true);
          }
          for (const load of [lo, hi]) {
            if (refused(load, 'normal')) expect(refused(load, 'sheddable')).toBe(true);
            expect(refused(load, 'critical')).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
