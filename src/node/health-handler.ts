/**
 * Serving a health check's views over `node:http`.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkOptions, describeValue } from '../core/validate.js';
import type { Health } from '../health/health.js';
import { failedReport } from '../health/report.js';
import type { HealthReport } from '../health/types.js';

/**
 * The paths {@link healthHandler} serves; `false` turns one off.
 *
 * @example
 * ```ts
 * import type { HealthPaths } from 'crackstop/node';
 *
 * const paths: HealthPaths = { liveness: '/healthz/live', readiness: '/healthz/ready', startup: false };
 * ```
 */
export interface HealthPaths {
  /** @defaultValue `'/livez'` */
  readonly liveness?: string | false;
  /** @defaultValue `'/readyz'` */
  readonly readiness?: string | false;
  /** @defaultValue `'/startupz'` */
  readonly startup?: string | false;
  /** The full report. @defaultValue `'/health'` */
  readonly report?: string | false;
}

/**
 * Options of {@link healthHandler}.
 *
 * @example
 * ```ts
 * import type { HealthHandlerOptions } from 'crackstop/node';
 *
 * const options: HealthHandlerOptions = { paths: { report: '/status' } };
 * ```
 */
export interface HealthHandlerOptions {
  /** Which path serves which view (unlisted views keep their default path). */
  readonly paths?: HealthPaths;
}

/**
 * A `node:http` request listener for health views: it answers (and returns true) when the path is
 * one of its own, and returns false (without touching the response) otherwise.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { healthCheck } from 'crackstop';
 * import { healthHandler, type HealthRequestHandler } from 'crackstop/node';
 *
 * const handle: HealthRequestHandler = healthHandler(healthCheck());
 * createServer((req, res) => {
 *   if (!handle(req, res)) res.writeHead(404).end();
 * });
 * ```
 */
export type HealthRequestHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

type ViewName = keyof HealthPaths;

const defaults: Readonly<Record<ViewName, string>> = { liveness: '/livez', readiness: '/readyz', startup: '/startupz', report: '/health' };
const where = 'healthHandler()';

function resolvePaths(paths: unknown): Map<string, ViewName> {
  const given = checkOptions(where, paths, Object.keys(defaults));
  const routes = new Map<string, ViewName>();
  for (const view of Object.keys(defaults) as ViewName[]) {
    const path = given[view] ?? defaults[view];
    if (path === false) continue;
    if (typeof path !== 'string' || !path.startsWith('/') || path.includes('?')) {
      throw new TypeError(`${where}: \`paths.${view}\` must be a path starting with '/' (no query) or false, got ${describeValue(path)}`);
    }
    if (routes.has(path)) throw new RangeError(`${where}: \`paths.${view}\` ${JSON.stringify(path)} is already the path of \`${routes.get(path) ?? ''}\``);
    routes.set(path, view);
  }
  return routes;
}

function send(request: IncomingMessage, response: ServerResponse, report: HealthReport): void {
  if (response.headersSent || response.destroyed || response.writableEnded) return; // the client went away, or someone else answered
  let body: string;
  let status = report.status === 'fail' ? 503 : 200;
  try {
    body = JSON.stringify(report);
  } catch (error) {
    body = JSON.stringify(failedReport(error)); // and a 503 to go with it, whatever the report said
    status = 503;
  }
  response.writeHead(status, {
    'content-type': 'application/health+json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  if (request.method === 'HEAD') response.end();
  else response.end(body);
}

/**
 * Creates a `node:http` request handler serving a health check's views as
 * `application/health+json`: `/livez` ({@link Health.liveness}), `/readyz`
 * ({@link Health.readiness}), `/startupz` ({@link Health.startup}) and `/health` (the full
 * {@link Health.report}) by default. Status 200 for `pass` and `warn`, 503 for `fail`;
 * `Cache-Control: no-store`; `GET` and `HEAD` (a `HEAD` runs the same checks and sends no body);
 * other methods get 405. A query string is ignored. Unknown paths are left to the caller: the
 * handler returns false and does not touch the response. Works with plain `node:http`, and with
 * express (`(req, res, next) => handle(req, res) || next()`) and fastify (its raw request and
 * reply) alike.
 *
 * @throws TypeError or RangeError when a path is invalid or used twice.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { healthCheck } from 'crackstop';
 * import { healthHandler } from 'crackstop/node';
 *
 * const health = healthCheck({ serviceId: 'orders' }).add('upstream', async ({ signal }) => (await fetch('http://127.0.0.1:8080/ping', { signal })).ok);
 * const handleHealth = healthHandler(health);
 * const server = createServer((req, res) => {
 *   if (handleHealth(req, res)) return;
 *   res.end('hello');
 * });
 * server.listen(3000);
 * ```
 */
export function healthHandler(health: Health, options?: HealthHandlerOptions): HealthRequestHandler {
  if (typeof health !== 'object' || health === null || typeof health.readiness !== 'function') {
    throw new TypeError(`${where}: \`health\` must be a health check made by healthCheck(), got ${describeValue(health)}`);
  }
  const opts = checkOptions(where, options, ['paths']);
  const routes = resolvePaths(opts['paths']);
  return (request, response) => {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const view = routes.get(query === -1 ? url : url.slice(0, query));
    if (view === undefined) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'cache-control': 'no-store', 'content-length': 0 }).end();
      return true;
    }
    let pending: Promise<HealthReport>;
    try {
      pending = health[view]();
    } catch (error) {
      pending = Promise.resolve(failedReport(error));
    }
    pending.then(
      (report) => send(request, response, report),
      (error: unknown) => send(request, response, failedReport(error)),
    );
    return true;
  };
}
