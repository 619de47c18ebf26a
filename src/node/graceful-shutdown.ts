/**
 * Graceful shutdown of a `node:http` server on a signal: lame-duck readiness, a grace period for
 * load balancers, then stop accepting, close idle keep-alive sockets and drain in-flight work
 * under a deadline.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants } from 'node:os';
import type { Duplex } from 'node:stream';
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
  on(event: 'connection', listener: (socket: Duplex) => void): unknown;
  removeListener(event: 'request', listener: (request: IncomingMessage, response: ServerResponse) => void): unknown;
  removeListener(event: 'connection', listener: (socket: Duplex) => void): unknown;
}

/**
 * Options of {@link gracefulShutdown}.
 *
 * @example
 * ```ts
 * import type { GracefulShutdownOptions } from 'crackstop/node';
 *
 * // Kubernetes: readiness periodSeconds 5 × failureThreshold 1 = 5 s to notice, plus a few seconds
 * // for endpoints to update; terminationGracePeriodSeconds 30 > deadlineMs.
 * const options: GracefulShutdownOptions = { readinessGraceMs: 10_000, deadlineMs: 25_000 };
 * ```
 */
export interface GracefulShutdownOptions {
  /** The signals that start the shutdown (not `SIGKILL` or `SIGSTOP`, which cannot be caught). @defaultValue `['SIGTERM', 'SIGINT']` */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * How long readiness fails before the server stops accepting connections, so that load
   * balancers stop routing here first: longer than the readiness probe's `periodSeconds ×
   * failureThreshold`, plus a few seconds for endpoints and load balancers to update.
   *
   * @defaultValue 5000 when running in Kubernetes (`KUBERNETES_SERVICE_HOST` is set), else 0
   */
  readonly readinessGraceMs?: number;
  /**
   * The whole shutdown's budget, from the signal, in milliseconds: connections still open then
   * are destroyed (upgraded ones, such as WebSockets, too) and the work still running is
   * reported. Keep it below Kubernetes' `terminationGracePeriodSeconds` (30 s by default).
   * `>= readinessGraceMs`.
   *
   * @defaultValue 25000
   */
  readonly deadlineMs?: number;
}

/**
 * How a shutdown went, from the signal to the end (the server closed, or the deadline): HTTP
 * requests are counted automatically, with `track()`ed work and registered components.
 * `completed` counts what finished since the signal (a request that came on a kept-alive
 * connection after the drain ended too); `stillRunning` what was in flight at the end (cut at the
 * deadline); `timedOut` is true when the deadline came first, with work still running or
 * connections still open.
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
 * default signal behaviour comes back); a shutdown already started goes on. A finished shutdown
 * removes its listeners by itself.
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
/** Signals a process cannot catch. */
const uncatchable: readonly string[] = ['SIGKILL', 'SIGSTOP'];

function resolveSignals(value: unknown): readonly NodeJS.Signals[] {
  if (value === undefined) return ['SIGTERM', 'SIGINT'];
  const known = constants.signals as Readonly<Record<string, number>>;
  if (!Array.isArray(value) || value.length === 0 || !value.every((s) => typeof s === 'string' && Object.hasOwn(known, s))) {
    throw new TypeError(`${where}: \`signals\` must be a non-empty array of signal names such as 'SIGTERM', got ${describeValue(value)}`);
  }
  const uncaught = (value as string[]).find((s) => uncatchable.includes(s));
  if (uncaught !== undefined) throw new RangeError(`${where}: \`signals\` must not include ${describeValue(uncaught)}: SIGKILL and SIGSTOP cannot be caught`);
  return [...new Set(value as NodeJS.Signals[])];
}

/**
 * Installs a graceful shutdown of `server` on `signals`. On the first signal:
 *
 * 1. `health.drain()` starts: readiness fails at once (load balancers take the instance out);
 * 2. after `readinessGraceMs`, the server stops accepting connections, idle keep-alive sockets
 *    are closed (and busy ones as they go idle), responses still to come carry
 *    `Connection: close`, and registered components with a `drain()` refuse new work;
 * 3. in-flight requests (counted automatically) and other tracked work finish, up to
 *    `deadlineMs` after the signal; connections still open then are destroyed (upgraded ones,
 *    such as WebSockets, too) and the requests they carried counted in `stillRunning`;
 * 4. `done` resolves with a summary, and the signal listeners are removed (a further signal has
 *    its default effect). The process is not exited: the caller decides.
 *
 * Repeated signals are ignored while the shutdown runs. Timing uses `health.clock`. Install it
 * before the server listens, so that it sees every connection.
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
 * });
 * const shutdown = gracefulShutdown(server, health, { readinessGraceMs: 5_000, deadlineMs: 25_000 });
 * shutdown.done.then((summary) => {
 *   console.log(`shut down: ${summary.completed} completed, ${summary.stillRunning} cut off`);
 *   process.exitCode = summary.stillRunning === 0 ? 0 : 1;
 * });
 * server.listen(3000, () => health.markStarted());
 * ```
 */
export function gracefulShutdown(server: ShutdownServer, health: Health, options?: GracefulShutdownOptions): ShutdownHandle {
  if (typeof server !== 'object' || server === null || typeof server.closeIdleConnections !== 'function') {
    throw new TypeError(`${where}: \`server\` must be an http.Server or https.Server, got ${describeValue(server)}`);
  }
  if (typeof health !== 'object' || health === null || typeof health.drain !== 'function' || typeof health.beginWork !== 'function') {
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
  let lameDuck = false; // past the grace period: responses still to come close their connection
  let drainEnded = false;
  let lateRequests = 0; // requests that came after the drain ended (on kept-alive connections)
  let arrivals = 0; // requests that came since the signal
  // Per request: a counter and one shared listener, no allocation.
  const responses = new Set<ServerResponse>();
  function onResponseClose(this: ServerResponse): void {
    responses.delete(this);
    health.endWork();
  }
  const onRequest = (_request: IncomingMessage, response: ServerResponse): void => {
    responses.add(response);
    health.beginWork();
    arrivals++;
    if (drainEnded) lateRequests++;
    if (lameDuck && !response.headersSent) response.setHeader('connection', 'close');
    response.on('close', onResponseClose);
  };
  // Every socket, so that the deadline ends upgraded ones too (closeAllConnections() no longer sees them).
  const sockets = new Set<Duplex>();
  function onSocketClose(this: Duplex): void {
    sockets.delete(this);
  }
  const onConnection = (socket: Duplex): void => {
    sockets.add(socket);
    socket.on('close', onSocketClose);
  };

  let resolveDone!: (summary: ShutdownSummary) => void;
  const done = new Promise<ShutdownSummary>((resolve) => (resolveDone = resolve));
  let running: Promise<ShutdownSummary> | undefined;
  const start = (signal: string | undefined): Promise<ShutdownSummary> => (running ??= run(signal));
  const onSignal = (signal: NodeJS.Signals): void => void start(signal);
  const removeSignalListeners = (): void => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  const removeServerListeners = (): void => {
    server.removeListener('request', onRequest);
    server.removeListener('connection', onConnection);
  };

  const run = async (signal: string | undefined): Promise<ShutdownSummary> => {
    const started = clock.now();
    const inFlightAtStart = health.inFlight;
    arrivals = 0;
    const drained = health.drain({ graceMs, deadlineMs });
    // One deadline for the whole shutdown, from the signal: it holds even when a drain started
    // earlier (by hand, with a longer deadline) and `health.drain()` returned that one's promise.
    // Set after the drain's own deadline timer, so that the drain's summary comes first when both end.
    let deadline: TimerHandle;
    const deadlinePassed = new Promise<undefined>((resolve) => (deadline = clock.setTimeout(() => resolve(undefined), deadlineMs)));
    if (graceMs > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, graceMs));
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
    // A busy keep-alive socket (its response began before the lame-duck point, so it did not ask
    // to close) becomes idle when its response ends: keep closing idle ones until closed.
    let sweeper: TimerHandle;
    const sweep = (): void => {
      server.closeIdleConnections();
      if (!closed) sweeper = clock.setTimeout(sweep, sweepMs);
    };
    sweeper = clock.setTimeout(sweep, sweepMs);
    const summary = await Promise.race([drained, deadlinePassed]);
    drainEnded = true;
    // Requests may still come on kept-alive connections: wait for the server to close, up to the deadline.
    await Promise.race([serverClosed, deadlinePassed]);
    clock.clearTimeout(deadline);
    clock.clearTimeout(sweeper);
    const stillRunning = health.inFlight;
    // Without the drain's summary (an earlier drain still runs), count from the signal.
    const completed =
      summary === undefined
        ? Math.max(0, inFlightAtStart + arrivals - stillRunning)
        : summary.completed + Math.max(0, summary.stillRunning + lateRequests - stillRunning);
    if (!closed) {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    }
    removeServerListeners();
    removeSignalListeners();
    const timedOut = stillRunning > 0 || !closed;
    const result: ShutdownSummary = { completed, stillRunning, timedOut, durationMs: clock.now() - started, signal, serverClosed: closed };
    resolveDone(result);
    return result;
  };

  try {
    for (const signal of signals) process.on(signal, onSignal);
  } catch (error) {
    removeSignalListeners(); // none left behind
    throw error;
  }
  server.prependListener('request', onRequest);
  server.on('connection', onConnection);

  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    removeSignalListeners();
    if (running === undefined) removeServerListeners();
  };
  return Object.assign(dispose, { done, shutdown: (): Promise<ShutdownSummary> => start(undefined) });
}
