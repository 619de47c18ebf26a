/**
 * Failure mode 1 and 2 with ref'd timers (the default system clock): health, drain and shutdown
 * keep a process alive while they wait for something, and never after.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, runChild, type ChildRun } from './child.js';

describe('health, drain and shutdown in a child process with the default (ref’d) clock', () => {
  let file = '';
  const children: ChildRun[] = [];
  beforeAll(async () => {
    file = await bundle(fileURLToPath(new URL('./fixtures/timers-child.ts', import.meta.url)));
  }, 60_000);
  afterAll(() => {
    for (const child of children) child.kill();
  });

  const start = (mode: string): ChildRun => {
    const child = runChild(file, [mode]);
    children.push(child);
    return child;
  };

  it('failure mode 38: a script awaiting a report whose check hangs gets the report at the timeout, then exits by itself', async () => {
    const child = start('report');
    const report = await child.next('report');
    expect(report['status']).toBe('fail');
    const exit = await child.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - (child.lines[0]?.['at'] as number)).toBeLessThan(1_000);
  }, 20_000);

  it('failure mode 2: a drain keeps the process alive through its grace period, and no timer outlives it', async () => {
    const child = start('drain');
    const drained = await child.next('drained');
    expect(drained['summary']).toMatchObject({ completed: 1, stillRunning: 0, timedOut: false });
    expect((drained['summary'] as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(199);
    const exit = await child.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - (child.lines[0]?.['at'] as number)).toBeLessThan(1_000);
  }, 20_000);

  it('failure mode 2: a shutdown cut at its deadline leaves nothing alive', async () => {
    const child = start('shutdown');
    const { port } = (await child.next('listening')) as { port: number };
    const lost = fetch(`http://127.0.0.1:${port}/forever`).then(
      (r) => `${r.status}`,
      () => 'cut',
    );
    const done = await child.next('done');
    expect(done['summary']).toMatchObject({ stillRunning: 1, timedOut: true, serverClosed: false });
    expect(await lost).toBe('cut');
    const exit = await child.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - (child.lines.at(-1)?.['at'] as number)).toBeLessThan(1_000);
  }, 20_000);
});
