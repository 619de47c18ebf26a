/**
 * Graceful shutdown of a `node:http` server on a signal: lame-duck readiness, a grace period for
 * load balancers, then stop accepting, close idle keep-alive sockets and drain in-flight work
 * under a deadline.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants } from 'node:os';
import type { TimerHandle } from '../clock/clock.js';
import { checkOptions, describeValue, optionalNumber } from '../core/validate.js';
import type { DrainSummary } from '../health/drain.js';
import type { Health } from '../health/health.js';

/**
 * What {@link gracefulShutdown} needs from a server: `http.Server` and `https.Server` have it.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import type { ShutdownServer } from 'crackstop/node';
 *
 * const server: ShutdownServer = createServer();
 * ```
 */
export interface ShutdownServer {
  close(callback?: (error?: Error) => void): unknown;
  closeIdleConnections(): void;
  closeAllConnections(): void;
  prependListener(event: 'request', listener: (request: IncomingMessage, response: ServerResponse) => void): unknown;
  removeListener(event: 'request', listener: (request: IncomingMessage, response: ServerResponse) => void): unknown;
}

/**
 * Options of {@link gracefulShutdown}.
 *
 * @example
 * ```ts
 * import type { GracefulShutdownOptions } from 'crackstop/node';
 *
 * // Kubernetes: readiness periodSeconds 5 × failureThreshold 1, terminationGracePeriodSeconds 30.
 * const options: GracefulShutdownOptions = { readinessGraceMs: 5_000, deadlineMs: 25_000 };
 * ```
 */
export interface GracefulShutdownOptions {
  /** The signals that start the shutdown. @defaultValue `['SIGTERM', 'SIGINT']` */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * How long readiness fails before the server stops accepting connections, so that load
   * balancers stop routing here first (Kubernetes: the readiness probe's `periodSeconds ×
   * failureThreshold`, plus endpoint propagation).
   *
   * @defaultValue 5000 when running in Kubernetes (`KUBERNETES_SERVICE_HOST` is set), else 0
   */
  readonly readinessGraceMs?: number;
  /**
   * The whole shutdown's budget, from the signal, in milliseconds: in-flight work still running
   * then is cut (its connections are destroyed) and reported. Keep it below Kubernetes'
   * `terminationGracePeriodSeconds` (30 s by default). `>= readinessGraceMs`.
   *
   * @defaultValue 25000
   */
  readonly deadlineMs?: number;
}

/**
 * How a shutdown went: the drain's summary (in-flight HTTP requests are tracked automatically),
 * the signal, and whether the server closed before the deadline.
 *
 * @example
 * ```ts
 * import type { ShutdownSummary } from 'crackstop/node';
 *
 * const exitCode = (summary: ShutdownSummary) => (summary.stillRunning === 0 && summary.serverClosed ? 0 : 1);
 * ```
 */
export interface ShutdownSummary extends DrainSummary {
  /** The signal that started it; `undefined` for `shutdown()` called by hand. */
  readonly signal: string | undefined;
  /** Whether every connection had ended before the deadline (otherwise the rest were destroyed). */
  readonly serverClosed: boolean;
}

/**
 * The handle of an installed graceful shutdown. Calling it removes the signal listeners (the
 * default signal behaviour comes back); a shutdown already started goes on.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { healthCheck } from 'crackstop';
 * import { gracefulShutdown, type ShutdownHandle } from 'crackstop/node';
 *
 * const stop: ShutdownHandle = gracefulShutdown(createServer(), healthCheck());
 * stop.done.then((summary) => process.exit(summary.stillRunning === 0 ? 0 : 1));
 * ```
 */
export interface ShutdownHandle {
  /** Removes the signal listeners (idempotent). */
  (): void;
  /** Resolves when a shutdown (by signal or by hand) has finished. */
  readonly done: Promise<ShutdownSummary>;
  /** Starts the shutdown as a signal would (idempotent: returns the shutdown in progress). */
  shutdown(): Promise<ShutdownSummary>;
}

const where = 'gracefulShutdown()';
/** How often idle keep-alive sockets are closed while the server drains. */
const sweepMs = 100;

function resolveSignals(value: unknown): readonly NodeJS.Signals[] {
  if (value === undefined) return ['SIGTERM', 'SIGINT'];
  const known = constants.signals as Readonly<Record<string, number>>;
  if (!Array.isArray(value) || value.length === 0 || !value.every((s) => typeof s === 'string' && Object.hasOwn(known, s))) {
    throw new TypeError(`${where}: \`signals\` must be a non-empty array of signal names such as 'SIGTERM', got ${describeValue(value)}`);
  }
  return [...new Set(value as NodeJS.Signals[])];
}

/**
 * Installs a graceful shutdown of `server` on `signals`. On the first signal:
 *
 * 1. `health.drain()` starts: readiness fails at once (load balancers take the instance out);
 * 2. after `readinessGraceMs`, the server stops accepting connections, idle keep-alive sockets
 *    are closed, responses still to come carry `Connection: close`, and registered bulkheads and
 *    shedders refuse new work;
 * 3. in-flight requests (tracked automatically) and other tracked work finish, up to
 *    `deadlineMs` after the signal; connections still open then are destroyed and counted in
 *    `stillRunning`;
 * 4. `done` resolves with a summary. The process is not exited: the caller decides.
 *
 * Repeated signals are ignored while the shutdown runs. Timing uses `health.clock`.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { healthCheck } from 'crackstop';
 * import { gracefulShutdown, healthHandler } from 'crackstop/node';
 *
 * const health = healthCheck();
 * const handleHealth = healthHandler(health);
 * const server = createServer((req, res) => {
 *   if (!handleHealth(req, res)) res.end('ok');
 * }).listen(3000, () => health.markStarted());
 * const shutdown = gracefulShutdown(server, health, { readinessGraceMs: 5_000, deadlineMs: 25_000 });
 * shutdown.done.then((summary) => {
 *   console.log(`shut down: ${summary.completed} completed, ${summary.stillRunning} cut off`);
 *   process.exit(summary.stillRunning === 0 ? 0 : 1);
 * });
 * ```
 */
export function gracefulShutdown(server: ShutdownServer, health: Health, options?: GracefulShutdownOptions): ShutdownHandle {
  if (typeof server !== 'object' || server === null || typeof server.closeIdleConnections !== 'function') {
    throw new TypeError(`${where}: \`server\` must be an http.Server or https.Server, got ${describeValue(server)}`);
  }
  if (typeof health !== 'object' || health === null || typeof health.drain !== 'function') {
    throw new TypeError(`${where}: \`health\` must be a health check made by healthCheck(), got ${describeValue(health)}`);
  }
  const opts = checkOptions(where, options, ['signals', 'readinessGraceMs', 'deadlineMs']);
  const signals = resolveSignals(opts['signals']);
  const inKubernetes = (process.env['KUBERNETES_SERVICE_HOST'] ?? '') !== '';
  const rule = { min: 0, max: 2_147_483_647, integer: false };
  const graceMs = optionalNumber(where, 'readinessGraceMs', opts['readinessGraceMs'], rule, inKubernetes ? 5_000 : 0);
  const deadlineMs = optionalNumber(where, 'deadlineMs', opts['deadlineMs'], rule, 25_000);
  if (graceMs > deadlineMs) throw new RangeError(`${where}: \`readinessGraceMs\` (${graceMs}) must be <= \`deadlineMs\` (${deadlineMs})`);

  const clock = health.clock;
  const responses = new Set<ServerResponse>();
  let lameDuck = false;
  const onRequest = (_request: IncomingMessage, response: ServerResponse): void => {
    responses.add(response);
    if (lameDuck && !response.headersSent) response.setHeader('connection', 'close');
    health.track(
      new Promise<void>((resolve) =>
        response.once('close', () => {
          responses.delete(response);
          resolve();
        }),
      ),
    );
  };
  server.prependListener('request', onRequest);

  let resolveDone!: (summary: ShutdownSummary) => void;
  const done = new Promise<ShutdownSummary>((resolve) => (resolveDone = resolve));
  let running: Promise<ShutdownSummary> | undefined;
  let disposed = false;

  const wait = (ms: number): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, ms));

  const run = async (signal: string | undefined): Promise<ShutdownSummary> => {
    const start = clock.now();
    const drained = health.drain({ graceMs, deadlineMs });
    if (graceMs > 0) await wait(graceMs);
    lameDuck = true;
    for (const response of responses) if (!response.headersSent) response.setHeader('connection', 'close');
    let closed = false;
    const serverClosed = new Promise<void>((resolve) => {
      server.close(() => {
        closed = true;
        resolve();
      });
    });
    server.closeIdleConnections();
    // A busy keep-alive socket becomes idle when its response ends: keep sweeping until closed.
    let sweeper: TimerHandle;
    const sweep = (): void => {
      server.closeIdleConnections();
      if (!closed) sweeper = clock.setTimeout(sweep, sweepMs);
    };
    sweeper = clock.setTimeout(sweep, sweepMs);
    const summary = await drained;
    const remaining = deadlineMs - (clock.now() - start);
    let deadline: TimerHandle;
    await Promise.race([serverClosed, new Promise<void>((resolve) => (deadline = clock.setTimeout(resolve, remaining)))]);
    clock.clearTimeout(deadline);
    clock.clearTimeout(sweeper);
    if (!closed) server.closeAllConnections();
    server.removeListener('request', onRequest);
    const result: ShutdownSummary = { ...summary, durationMs: clock.now() - start, signal, serverClosed: closed };
    resolveDone(result);
    return result;
  };

  const start = (signal: string | undefined): Promise<ShutdownSummary> => (running ??= run(signal));
  const onSignal = (signal: NodeJS.Signals): void => void start(signal);
  for (const signal of signals) process.on(signal, onSignal);

  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    for (const signal of signals) process.removeListener(signal, onSignal);
    if (running === undefined) server.removeListener('request', onRequest);
  };
  return Object.assign(dispose, { done, shutdown: (): Promise<ShutdownSummary> => start(undefined) });
}
