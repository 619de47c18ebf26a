import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as local from '../../src/index.js';
import { isLoadShedError, isRejection, isResilienceError, loadShedder, LoadShedError, ResilienceError, type ShedPriority } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { bundleCrackstop, type Bundle } from '../helpers/bundle.js';

/** The rejection of a call, or a failure if it did not reject. */
async function rejection(call: Promise<unknown>): Promise<LoadShedError> {
  return call.then(
    (value) => {
      throw new Error(`expected a refusal, got ${String(value)}`);
    },
    (error: unknown) => error as LoadShedError,
  );
}

describe('loadShedder › LoadShedError', () => {
  it('failure mode 12: 100 refusals have stacks of identical length, with no captured frame', async () => {
    const shedder = loadShedder({ maxInFlight: 1 });
    const held = shedder.tryAdmit('critical');
    const stacks: string[] = [];
    for (let i = 0; i < 100; i++) stacks.push((await rejection(shedder.execute(() => i))).stack ?? '');
    // Also through a priority view with a caller's signal (a different path to the refusal).
    const signal = new AbortController().signal;
    for (let i = 0; i < 100; i++) stacks.push((await rejection(shedder.for('sheddable').execute(() => i, { signal }))).stack ?? '');
    expect(new Set(stacks.map((s) => s.length)).size).toBe(2); // one length per message
    expect(new Set(stacks.map((s) => s.split('\n').length))).toEqual(new Set([1]));
    expect(stacks[0]).toBe('LoadShedError: Load shed: normal call refused (in-flight); retry in 1000 ms');
    expect(Error.stackTraceLimit).toBe(10); // restored after each refusal
    held?.release();
  });

  it('each refusal is a fresh error whose message, code, retryAfterMs, priority and reason are its own', async () => {
    const clock = new ManualClock();
    let pressure = 0;
    const shedder = loadShedder({ clock, maxInFlight: 4, targetQueueDelayMs: 10, latency: { targetMs: 100, minSamples: 1 }, pressure: () => pressure, retryAfterMs: 250 });
    const expectRefusal = async (priority: ShedPriority, reason: string) => {
      const error = await rejection(shedder.execute(() => 'ran', { priority }));
      expect(error).toBeInstanceOf(LoadShedError);
      expect(error).toBeInstanceOf(ResilienceError);
      expect(isLoadShedError(error) && isRejection(error) && isResilienceError(error)).toBe(true);
      expect(error).toMatchObject({ name: 'LoadShedError', code: 'ERR_LOAD_SHED', retryAfterMs: 250, priority, reason });
      expect(error.message).toBe(`Load shed: ${priority} call refused (${reason}); retry in 250 ms`);
      expect(error.stack?.split('\n')).toEqual([`LoadShedError: ${error.message}`]);
      return error;
    };
    pressure = 0.95;
    const a = await expectRefusal('normal', 'pressure');
    const b = await expectRefusal('sheddable', 'pressure');
    expect(a).not.toBe(b);
    pressure = 0;
    shedder.recordQueueDelay(30);
    await clock.advance(100);
    await expectRefusal('normal', 'queue-delay');
    await clock.advance(100); // an empty interval: the queue signal is off again
    const slow = shedder.tryAdmit('critical');
    await clock.advance(300);
    slow?.release();
    await expectRefusal('sheddable', 'latency');
    await clock.advance(20_000); // the latency window is empty again
    const permits = [0, 1, 2, 3].map(() => shedder.tryAdmit('critical'));
    await expectRefusal('critical', 'in-flight');
    permits.forEach((p) => p?.release());
    shedder.drain();
    await expectRefusal('critical', 'draining');
  });

  it('an error built by hand keeps its stack and the fields given', () => {
    const error = new LoadShedError({ retryAfterMs: 5, priority: 'normal', reason: 'latency' }, { message: 'busy', cause: 'why' });
    expect(error).toMatchObject({ name: 'LoadShedError', message: 'busy', cause: 'why', retryAfterMs: 5 });
    expect(error.stack?.split('\n').length).toBeGreaterThan(1);
  });
});

describe('loadShedder › LoadShedError in a bundled copy', () => {
  let bundle: Bundle;
  let copies: Array<[string, typeof local]>;
  beforeAll(async () => {
    bundle = await bundleCrackstop();
    copies = [
      ['ESM', (await import(pathToFileURL(bundle.esm).href)) as typeof local],
      ['CJS', createRequire(import.meta.url)(bundle.cjs) as typeof local],
    ];
  }, 20_000);
  afterAll(async () => {
    await bundle.remove();
  });

  it('keeps its name after bundling (not "_LoadShedError"), built by hand or by a refusal', async () => {
    for (const [kind, other] of copies) {
      expect(new other.LoadShedError({ retryAfterMs: 1, priority: 'normal', reason: 'pressure' }).name, kind).toBe('LoadShedError');
      const shedder = other.loadShedder({ maxInFlight: 1 });
      shedder.tryAdmit('critical');
      const error = await rejection(shedder.execute(() => 1));
      expect(error.name, kind).toBe('LoadShedError');
      expect(error.stack, kind).toMatch(/^LoadShedError: /);
      expect(error instanceof local.LoadShedError, kind).toBe(true);
    }
  });
});
