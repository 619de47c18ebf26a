/**
 * How the statuses of a report's entries make the report's status.
 *
 * @internal
 * @module
 */
import type { HealthStatus } from './types.js';

/** One entry as far as aggregation is concerned. */
export interface Contribution {
  readonly status: HealthStatus;
  readonly critical: boolean;
}

/**
 * The status of a report: `fail` when a critical entry fails; otherwise `warn` when any entry
 * warns or a non-critical entry fails; otherwise `pass` (also when there is no entry).
 */
export function aggregate(entries: Iterable<Contribution>): HealthStatus {
  let status: HealthStatus = 'pass';
  for (const entry of entries) {
    if (entry.status === 'fail' && entry.critical) return 'fail';
    if (entry.status !== 'pass') status = 'warn';
  }
  return status;
}
