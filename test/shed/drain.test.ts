/** Lame-duck mode: drain() and inFlight, the health check's drain seam. */
import { describe, expect, it } from 'vitest';
import { healthCheck, isLoadShedError, loadShedder, pipeline, timeout, type ShedderLike, type ShedEvent } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred, flush, recordingHub } from './helpers.js';

describe('loadShedder › drain()', () => {
  it('refuses every new call with reason "draining", even critical, while admitted work goes on', async () => {
    const { events, seen } = recordingHub();
    const shedder = loadShedder({ events, name: 'api', maxInFlight: 10, retryAfterMs: 300 });
    const work = deferred<string>();
    const running = shedder.execute(() => work.promise, { priority: 'sheddable' });
    const permit = shedder.tryAdmit('normal');
    expect(shedder.draining).toBe(false);
    expect(shedder.drain()).toBeUndefined();
    expect(shedder.draining).toBe(true);
    expect(shedder.inFlight).toBe(2);

    let ran = false;
    for (const priority of ['critical', 'normal', 'sheddable'] as const) {
      await expect(shedder.execute(() => (ran = true), { priority })).rejects.toMatchObject({ code: 'ERR_LOAD_SHED', reason: 'draining', priority, retryAfterMs: 300 });
      await expect(shedder.for(priority).execute(() => (ran = true))).rejects.toMatchObject({ reason: 'draining', priority });
      expect(shedder.tryAdmit(priority)).toBeUndefined();
    }
    const signal = new AbortController().signal;
    await expect(shedder.execute(() => (ran = true), { signal, priority: 'critical' })).rejects.toMatchObject({ reason: 'draining' });
    await expect(pipeline(timeout({ ms: 1_000 }), shedder).execute(() => (ran = true))).rejects.toSatisfy(isLoadShedError);
    expect(ran).toBe(false);

    // One shed event per refusal, each saying why.
    const shed = seen.filter((e): e is ShedEvent => e.type === 'shed');
    expect(shed).toHaveLength(11);
    expect(shed.every((e) => e.reason === 'draining' && e.load === 1 && e.random === false && e.name === 'api')).toBe(true);

    // The work admitted before the drain runs to its end and is counted until then.
    permit?.started();
    expect(permit?.release()).toBe(true);
    expect(shedder.inFlight).toBe(1);
    work.resolve('finished');
    expect(await running).toBe('finished');
    expect(shedder.inFlight).toBe(0);
    expect(shedder.snapshot()).toMatchObject({ draining: true, admitted: 2, shed: 11, inFlight: 0 });
    shedder.drain(); // idempotent
    expect(shedder.draining).toBe(true);
  });

  it('a caller that aborted before a drain still gets its own reason, never a LoadShedError', async () => {
    const shedder = loadShedder({ maxInFlight: 1 });
    shedder.drain();
    const reason = new Error('gone');
    await expect(shedder.execute(() => 1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(shedder.snapshot().shed).toBe(0);
  });

  it('a drain does not change what pressure() and isOverloaded() say about the load', () => {
    const shedder = loadShedder({ maxInFlight: 10 });
    shedder.drain();
    expect(shedder.pressure()).toBe(0);
    expect(shedder.isOverloaded()).toBe(false);
  });

  it('inFlight counts admitted work until it really settles: a sync throw, a rejection, an abort ignored by the work', async () => {
    const shedder = loadShedder({ maxInFlight: 10 });
    const gate = deferred();
    const controller = new AbortController();
    const ignoring = shedder.execute(() => gate.promise, { signal: controller.signal }).catch((e: unknown) => e);
    const failing = shedder.execute(() => Promise.reject(new Error('no'))).catch((e: unknown) => e);
    const throwing = shedder
      .execute(() => {
        throw new Error('sync');
      })
      .catch((e: unknown) => e);
    expect(shedder.inFlight).toBe(2); // the sync throw settled at once; the rejection settles a tick later
    shedder.drain();
    controller.abort(new Error('caller left'));
    await Promise.all([ignoring, failing, throwing]);
    expect(shedder.inFlight).toBe(1); // the abandoned work still runs
    gate.resolve();
    await flush();
    expect(shedder.inFlight).toBe(0);
  });
});

describe('loadShedder › with healthCheck()', () => {
  it('fits the ShedderLike seam with drain() and inFlight', () => {
    const seam: ShedderLike = loadShedder({ maxInFlight: 1 });
    expect(typeof seam.drain).toBe('function');
    expect(seam.inFlight).toBe(0);
  });

  it("a health check's drain waits for the shedder's in-flight work and makes it refuse new work after the grace period", async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, maxInFlight: 10 });
    const health = healthCheck({ clock }).addShedder('api', shedder);
    const work = deferred<string>();
    const running = shedder.execute(() => work.promise, { priority: 'sheddable' });
    let summary: unknown;
    void health.drain({ graceMs: 1_000, deadlineMs: 10_000, pollMs: 50 }).then((s) => (summary = s));
    await clock.advance(999);
    expect(shedder.draining).toBe(false);
    expect(await shedder.execute(() => 'during grace', { priority: 'sheddable' })).toBe('during grace');
    await clock.advance(1);
    expect(shedder.draining).toBe(true);
    await expect(shedder.execute(() => 'late', { priority: 'critical' })).rejects.toMatchObject({ reason: 'draining' });
    await clock.advance(2_000);
    expect(summary).toBeUndefined(); // the admitted call still runs
    work.resolve('done');
    expect(await running).toBe('done');
    await clock.advance(50);
    expect(summary).toMatchObject({ stillRunning: 0, timedOut: false });
    expect(clock.pendingTimers).toBe(0);
  });
});
