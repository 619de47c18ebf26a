import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCrackstop, type Bundle } from '../helpers/bundle.js';

// The default clock keeps a pending call's timers ref'd: a script whose only pending work is a
// backoff wait finishes its call instead of exiting in the middle of it (exit 13 under top-level
// await, or a silent exit 0 in CommonJS). Every timer is still cleared when its call settles, so
// the process exits at once afterwards (test/timeout/timeout-exit.test.ts).

const child = fileURLToPath(new URL('../fixtures/script-retry-child.mjs', import.meta.url));
let bundle: Bundle;

beforeAll(async () => {
  bundle = await bundleCrackstop();
}, 20_000);

afterAll(async () => {
  await bundle.remove();
});

describe('a one-off script on the default clock', () => {
  it('finishes a call whose only pending work is a backoff wait, then exits 0', () => {
    const run = spawnSync(process.execPath, [child, bundle.esm, 'default'], { encoding: 'utf8', timeout: 10_000 });
    expect(run.stdout.trim()).toBe('done after 3 attempts');
    expect(run.status).toBe(0);
  });

  it('negative control: on an unref\'d clock the same script leaves during the wait, without its result', () => {
    const run = spawnSync(process.execPath, [child, bundle.esm, 'unref'], { encoding: 'utf8', timeout: 10_000 });
    expect(run.stdout.trim()).toBe('');
    expect(run.status).toBe(13); // Node's code for an unsettled top-level await
  });
});
