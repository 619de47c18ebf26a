import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Bundles a TypeScript entry (and the crackstop sources it imports) into one runnable .mjs file. */
export async function bundle(entry: string): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'crackstop-child-')), 'child.mjs');
  const src = (file: string) => fileURLToPath(new URL(`../../src/${file}`, import.meta.url));
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    // Examples import the package by name, as users do.
    alias: { crackstop: src('index.ts'), 'crackstop/node': src('node.ts') },
  });
  return outfile;
}

export interface ChildRun {
  /** Resolves with the next stdout line (parsed JSON) whose `event` is `event`. */
  next(event: string): Promise<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  readonly lines: Record<string, unknown>[];
  kill(signal?: NodeJS.Signals): void;
}

/** Runs a bundled child with node; its stdout is read as lines of JSON. */
export function runChild(file: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): ChildRun {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const lines: Record<string, unknown>[] = [];
  const waiters: { event: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    for (let i = buffer.indexOf('\n'); i !== -1; i = buffer.indexOf('\n')) {
      const line = JSON.parse(buffer.slice(0, i)) as Record<string, unknown>;
      line['event'] ??= line['msg'];
      buffer = buffer.slice(i + 1);
      lines.push({ ...line, at: performance.now() });
      for (const waiter of waiters.filter((w) => w.event === line['event'])) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return {
    lines,
    exited,
    kill: (signal = 'SIGKILL') => void child.kill(signal),
    next: (event) => {
      const seen = lines.find((l) => l['event'] === event);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ event, resolve }));
    },
  };
}
