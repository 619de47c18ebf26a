/**
 * Assembling `application/health+json` documents, and the lifecycle entry each view adds.
 *
 * @internal
 * @module
 */
import { aggregate, type Contribution } from './aggregate.js';
import { clip, safeDescription } from './check-result.js';
import type { CheckRunner, Observation } from './check-runner.js';
import type { LifecycleState } from './health.js';
import type { HealthCheckEntry, HealthReport, HealthStatus } from './types.js';

/** The views a health check serves. */
export type View = 'report' | 'liveness' | 'readiness' | 'startup';

/** What the lifecycle entry depends on. */
export interface Life {
  readonly state: LifecycleState;
  /** Time since drain started (meaningless unless draining or drained). */
  readonly drainElapsedMs: number;
  readonly deadlineMs: number;
  /** In `checks` startup mode: the critical checks that never passed yet. */
  readonly waitingFor: readonly string[] | undefined;
}

/** The key of the lifecycle entry. */
export const lifecycleKey = 'lifecycle:state';

function entry(state: LifecycleState, status: HealthStatus, time: string, output: string): HealthCheckEntry {
  return status === 'pass'
    ? { componentType: 'system', observedValue: state, status, time }
    : { componentType: 'system', observedValue: state, status, time, output };
}

/** What a service that has not started yet waits for. */
function waitingFor(life: Life): string {
  const waiting = life.waitingFor;
  return waiting === undefined ? 'markStarted()' : `a first pass of ${waiting.join(', ')}`;
}

/**
 * The lifecycle entry of a view: liveness fails only when a drain has outlasted its deadline;
 * readiness and the full report fail until started and from the start of a drain; startup fails
 * until started.
 */
export function lifecycleEntry(view: View, life: Life, time: string): HealthCheckEntry {
  const { state } = life;
  switch (view) {
    case 'liveness': {
      const late = (state === 'draining' || state === 'drained') && life.drainElapsedMs >= life.deadlineMs;
      const output = `shutting down for ${Math.round(life.drainElapsedMs)} ms, past its ${life.deadlineMs} ms deadline`;
      return entry(state, late ? 'fail' : 'pass', time, output);
    }
    case 'startup':
      return state === 'starting' ? entry(state, 'fail', time, `not started: waiting for ${waitingFor(life)}`) : entry(state, 'pass', time, '');
    default:
      switch (state) {
        case 'running':
          return entry(state, 'pass', time, '');
        case 'starting':
          return entry(state, 'fail', time, `not started yet: not taking traffic (waiting for ${waitingFor(life)})`);
        case 'draining':
          return entry(state, 'fail', time, 'draining: shutting down, not taking new work');
        default:
          return entry(state, 'fail', time, 'drained: shutting down');
      }
  }
}

/** One entry, as far as the report's status and output are concerned. */
export interface Item extends Contribution {
  readonly key: string;
}

/** The status of a set of entries, and (unless it is `pass`) which entries are not passing. */
export function summarize(items: readonly Item[]): { readonly status: HealthStatus; readonly output: string | undefined } {
  const status = aggregate(items);
  if (status === 'pass') return { status, output: undefined };
  const failing: string[] = [];
  const warning: string[] = [];
  for (const item of items) {
    if (item.status === 'fail') failing.push(item.critical ? item.key : `${item.key} (non-critical)`);
    else if (item.status === 'warn') warning.push(item.key);
  }
  const parts: string[] = [];
  if (failing.length > 0) parts.push(`failing: ${failing.join(', ')}`);
  if (warning.length > 0) parts.push(`warning: ${warning.join(', ')}`);
  return { status, output: parts.join('; ') };
}

/** The report's metadata fields. */
export interface Metadata {
  readonly version: string | undefined;
  readonly releaseId: string | undefined;
  readonly serviceId: string | undefined;
  readonly description: string | undefined;
}

/** The document answered when building a report failed: only a bug in crackstop, or a clock that throws, gets there. */
export function failedReport(error: unknown): HealthReport {
  return { status: 'fail', output: clip(`health report failed: ${safeDescription(error)}`), checks: {} };
}

/** Builds a report from the observations of `runners` (same order) and the lifecycle entry. */
export function buildReport(metadata: Metadata, runners: readonly CheckRunner[], observations: readonly Observation[], life: HealthCheckEntry): HealthReport {
  const checks: Record<string, readonly HealthCheckEntry[]> = {};
  const items: Item[] = [];
  runners.forEach((runner, i) => {
    const observation = observations[i] as Observation;
    checks[runner.spec.key] = [observation.entry];
    items.push({ key: runner.spec.key, status: observation.status, critical: runner.spec.critical });
  });
  checks[lifecycleKey] = [life];
  items.push({ key: lifecycleKey, status: life.status, critical: true });
  const { status, output } = summarize(items);
  // Built field by field, in the draft's order, leaving out what is not set.
  const report: Record<string, unknown> = { status };
  if (metadata.version !== undefined) report['version'] = metadata.version;
  if (metadata.releaseId !== undefined) report['releaseId'] = metadata.releaseId;
  if (metadata.serviceId !== undefined) report['serviceId'] = metadata.serviceId;
  if (metadata.description !== undefined) report['description'] = metadata.description;
  if (output !== undefined) report['output'] = output;
  report['checks'] = checks;
  return report as unknown as HealthReport;
}
