import { describe, expect, it } from 'vitest';
import { isLoadShedError, isRejection, loadShedder, LoadShedError, pipeline, timeout, type ShedPriority } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred, flush, recordingHub } from './helpers.js';

describe('loadShedder › maxInFlight', () => {
  it('admits up to the class limits, then refuses with LoadShedError', async () => {
    const clock = new ManualClock();
    // max 10: sheddable stops at 8 in flight (ceil 7.5), normal at 9, critical at 10.
    const shedder = loadShedder({ clock, maxInFlight: 10 });
    const gates = Array.from({ length: 10 }, () => deferred<string>());
    const calls: Promise<string>[] = [];
    for (let i = 0; i < 8; i++) calls.push(shedder.execute(() => gates[i]!.promise, { priority: 'sheddable' }));
    expect(shedder.inFlight).toBe(8);
    await expect(shedder.execute(() => 'never', { priority: 'sheddable' })).rejects.toSatisfy(isLoadShedError);
    calls.push(shedder.execute(() => gates[8]!.promise)); // normal: 9th
    await expect(shedder.execute(() => 'never')).rejects.toMatchObject({ code: 'ERR_LOAD_SHED', priority: 'normal', reason: 'in-flight' });
    calls.push(shedder.execute(() => gates[9]!.promise, { priority: 'critical' })); // critical: 10th
    expect(shedder.inFlight).toBe(10);
    const refused = shedder.execute(() => 'never', { priority: 'critical' });
    await expect(refused).rejects.toBeInstanceOf(LoadShedError);
    await expect(refused).rejects.toMatchObject({ priority: 'critical', reason: 'in-flight', retryAfterMs: 1_000 });
    gates.forEach((g, i) => g.resolve(`v${i}`));
    expect(await Promise.all(calls)).toEqual(gates.map((_, i) => `v${i}`));
    expect(shedder.inFlight).toBe(0);
    expect(shedder.snapshot()).toMatchObject({ admitted: 10, shed: 3, inFlight: 0 });
  });

  it('a refusal is a rejection: it never ran the function', async () => {
    const shedder = loadShedder({ maxInFlight: 1 });
    const gate = deferred();
    const first = shedder.execute(() => gate.promise);
    let ran = false;
    const error = await shedder.execute(() => (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(isRejection(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect((error as LoadShedError).name).toBe('LoadShedError');
    gate.resolve();
    await first;
  });

  it('frees the slot when the work settles, whatever the outcome', async () => {
    const shedder = loadShedder({ maxInFlight: 1, thresholds: { normal: 1 } });
    await expect(shedder.execute(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(shedder.inFlight).toBe(0);
    await expect(
      shedder.execute(() => {
        throw new TypeError('sync');
      }),
    ).rejects.toThrow('sync');
    expect(shedder.inFlight).toBe(0);
    expect(await shedder.execute(() => 5)).toBe(5);
    expect(shedder.inFlight).toBe(0);
  });

  it('failure mode 27: a caller abort rejects at once; the slot is held until the work really settles, then freed', async () => {
    const shedder = loadShedder({ maxInFlight: 1, thresholds: { normal: 1 } });
    const controller = new AbortController();
    const work = deferred<string>();
    const call = shedder.execute(() => work.promise, { signal: controller.signal });
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(shedder.inFlight).toBe(1); // the work ignores its signal and still runs
    await expect(shedder.execute(() => 'x')).rejects.toSatisfy(isLoadShedError);
    work.resolve('late');
    await flush();
    expect(shedder.inFlight).toBe(0);
    expect(await shedder.execute(() => 'x')).toBe('x');
  });

  it('failure mode 8: an already-aborted signal rejects with its reason, never runs, admits nothing', async () => {
    const shedder = loadShedder({ maxInFlight: 1 });
    const reason = new Error('already');
    let ran = false;
    await expect(shedder.execute(() => (ran = true), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(ran).toBe(false);
    expect(shedder.snapshot()).toMatchObject({ admitted: 0, shed: 0, inFlight: 0 });
  });

  it('failure mode 26: a timeout outside the shedder does not free the slot while abandoned work runs', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, maxInFlight: 2, thresholds: { normal: 1 } });
    const policy = pipeline(timeout({ clock, ms: 10 }), shedder);
    const hung = [deferred(), deferred()];
    const calls = hung.map((h) => policy.execute(() => h.promise).catch((e: unknown) => e));
    await clock.advance(10);
    expect((await calls[0]) as Error).toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(shedder.inFlight).toBe(2);
    await expect(policy.execute(() => 'x')).rejects.toSatisfy(isLoadShedError);
    hung.forEach((h) => h.resolve());
    await flush();
    expect(shedder.inFlight).toBe(0);
  });

  it('defaultPriority applies to calls that give none', async () => {
    const shedder = loadShedder({ maxInFlight: 4, defaultPriority: 'sheddable' });
    expect(shedder.defaultPriority).toBe('sheddable');
    const gate = deferred();
    const calls = [0, 1, 2].map(() => shedder.execute(() => gate.promise)); // sheddable stops at 3
    await expect(shedder.execute(() => 1)).rejects.toMatchObject({ priority: 'sheddable' });
    expect(shedder.tryAdmit()).toBeUndefined();
    const permit = shedder.tryAdmit('normal');
    expect(permit?.priority).toBe('normal');
    permit?.release();
    gate.resolve();
    await Promise.all(calls);
  });

  it('rejects an unknown priority with a TypeError naming it', async () => {
    const shedder = loadShedder({ maxInFlight: 4 });
    await expect(shedder.execute(() => 1, { priority: 'urgent' as ShedPriority })).rejects.toThrow(
      'loadShedder().execute(): `priority` must be one of "critical", "normal", "sheddable", got "urgent" (string)',
    );
    expect(() => shedder.for('high' as ShedPriority)).toThrow(TypeError);
    expect(() => shedder.tryAdmit(3 as unknown as ShedPriority)).toThrow('got 3 (number)');
  });

  it('thresholds: { normal: 1 } gives normal calls all of maxInFlight', async () => {
    const shedder = loadShedder({ maxInFlight: 3, thresholds: { normal: 1 } });
    const permits = [shedder.tryAdmit(), shedder.tryAdmit(), shedder.tryAdmit()];
    expect(permits.every((p) => p !== undefined)).toBe(true);
    expect(shedder.tryAdmit('critical')).toBeUndefined();
    permits.forEach((p) => p?.release());
  });
});

describe('loadShedder › priority views', () => {
  it('for(priority) is a policy with that class, sharing the state; the same view each time', async () => {
    const shedder = loadShedder({ maxInFlight: 10 });
    const sheddable = shedder.for('sheddable');
    expect(shedder.for('sheddable')).toBe(sheddable);
    const gate = deferred();
    const held = Array.from({ length: 8 }, () => sheddable.execute(() => gate.promise));
    expect(shedder.inFlight).toBe(8);
    await expect(sheddable.execute(() => 1)).rejects.toMatchObject({ priority: 'sheddable' });
    expect(await shedder.for('normal').execute(() => 'n')).toBe('n');
    gate.resolve();
    await Promise.all(held);
  });

  it('works inside a pipeline, and the function gets an attempt context', async () => {
    const clock = new ManualClock();
    const shedder = loadShedder({ clock, maxInFlight: 2 });
    const policy = pipeline(shedder.for('critical'), timeout({ clock, ms: 100 }));
    expect(await policy.execute(({ attempt, signal }) => `${attempt}:${signal.aborted}`)).toBe('1:false');
    const direct = await shedder.execute((ctx) => ctx.attempt);
    expect(direct).toBe(1);
  });

  it('failure mode 35: exactly one shed event per refusal, none per admission; counts equal outcomes', async () => {
    const { events, seen } = recordingHub();
    const shedder = loadShedder({ events, maxInFlight: 3 });
    const outcomes: string[] = [];
    const gate = deferred();
    const calls = Array.from({ length: 12 }, (_, i) =>
      shedder.execute(() => gate.promise, { priority: (['critical', 'normal', 'sheddable'] as const)[i % 3] }).then(
        () => outcomes.push('ok'),
        (e: unknown) => outcomes.push(isLoadShedError(e) ? 'shed' : 'other'),
      ),
    );
    const permits = Array.from({ length: 6 }, () => shedder.tryAdmit('critical'));
    gate.resolve();
    await Promise.all(calls);
    permits.forEach((p) => p?.release());
    const refusedSync = permits.filter((p) => p === undefined).length;
    const shedAsync = outcomes.filter((o) => o === 'shed').length;
    expect(outcomes.filter((o) => o === 'other')).toHaveLength(0);
    expect(seen.filter((e) => e.type === 'shed')).toHaveLength(shedAsync + refusedSync);
    expect(seen).toHaveLength(shedAsync + refusedSync); // nothing else: admissions emit nothing
    expect(shedder.snapshot()).toMatchObject({ admitted: 12 + 6 - shedAsync - refusedSync, shed: shedAsync + refusedSync });
  });

  it('a shed event carries the refusal details', async () => {
    const clock = new ManualClock({ start: 5 });
    const { events, seen } = recordingHub();
    const shedder = loadShedder({ clock, events, name: 'api', maxInFlight: 1, retryAfterMs: 250 });
    const permit = shedder.tryAdmit('critical');
    await shedder.execute(() => 1).catch(() => undefined);
    expect(shedder.tryAdmit('sheddable')).toBeUndefined();
    permit?.release();
    expect(seen).toEqual([
      { type: 'shed', kind: 'load-shedder', name: 'api', time: 5, priority: 'normal', reason: 'in-flight', load: 1, inFlight: 1, retryAfterMs: 250, random: false },
      { type: 'shed', kind: 'load-shedder', name: 'api', time: 5, priority: 'sheddable', reason: 'in-flight', load: 1, inFlight: 1, retryAfterMs: 250, random: false },
    ]);
  });
});
