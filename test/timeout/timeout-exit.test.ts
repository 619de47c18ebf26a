import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCrackstop, type Bundle } from '../helpers/bundle.js';

// Failure mode 1: a timer that outlives its call keeps the process alive. A child process runs
// 10,000 timed-out and 10,000 successful calls on createSystemClock({ unref: false }) (so a
// leaked timer WOULD hold it) and must exit at once when they have settled. The negative
// control, the same child leaving one timer behind, must not: it proves the check can fail.

const child = fileURLToPath(new URL('../fixtures/timeout-exit-child.mjs', import.meta.url));
/** How long after its report the child may take to exit (parent side, generous for a loaded CI). */
const BOUND_MS = 1_500;
/** How long the child itself may measure between its report and its 'exit' event. */
const CHILD_BOUND_MS = 100;

interface Run {
  readonly report: { timedOut: number; succeeded: number; timers: number; abandoned: number };
  /** Parent-side ms from the report line to the child's exit, or undefined if still alive at BOUND_MS. */
  readonly exitedAfterMs: number | undefined;
  /** The child's own measure, printed from its 'exit' handler. */
  readonly exitDelayMs: number | undefined;
}

function runChild(bundlePath: string, mode: 'clean' | 'leak'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, bundlePath, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let reportedAt: number | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const lines = (): Array<Record<string, number>> =>
      stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, number>);
    const finish = (exitedAfterMs: number | undefined): void => {
      clearTimeout(watchdog);
      const [report, exit] = lines();
      if (report === undefined) {
        reject(new Error(`child printed no report; stderr: ${stderr}`));
        return;
      }
      resolve({ report: report as unknown as Run['report'], exitedAfterMs, exitDelayMs: exit?.['exitDelayMs'] });
    };
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (reportedAt === undefined && stdout.includes('\n')) {
        reportedAt = performance.now();
        watchdog = setTimeout(() => {
          proc.kill('SIGKILL');
          finish(undefined);
        }, BOUND_MS);
      }
    });
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return; // killed by the watchdog: already finished
      if (reportedAt === undefined) {
        reject(new Error(`child exited (${code}) before reporting; stderr: ${stderr}`));
        return;
      }
      finish(performance.now() - reportedAt);
    });
    proc.on('error', reject);
  });
}

let bundle: Bundle;
beforeAll(async () => {
  bundle = await bundleCrackstop();
}, 20_000);
afterAll(async () => {
  await bundle.remove();
});

describe('timeout in a child process (failure mode 1)', () => {
  it('leaves no timer after 10,000 timed-out and 10,000 successful calls: the child exits at once, and the leaking control does not', async () => {
    const [clean, leak] = await Promise.all([runChild(bundle.esm, 'clean'), runChild(bundle.esm, 'leak')]);

    expect(clean.report).toEqual({ timedOut: 10_000, succeeded: 10_000, timers: 0, abandoned: 5_000 });
    expect(clean.exitedAfterMs).toBeDefined();
    expect(clean.exitedAfterMs).toBeLessThan(BOUND_MS);
    expect(clean.exitDelayMs).toBeLessThan(CHILD_BOUND_MS);

    // Negative control: one leaked timer shows in the resources and keeps the child alive.
    expect(leak.report).toEqual({ timedOut: 10_000, succeeded: 10_000, timers: 1, abandoned: 5_000 });
    expect(leak.exitedAfterMs).toBeUndefined();
  }, 20_000);
});
