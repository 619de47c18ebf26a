import { bulkhead, isBulkheadRejectedError } from '../../src/index.js';

// The reporting database has 10 connections for this service: never ask for an 11th at once.
const reports = bulkhead({ name: 'reports-db', limit: 10, queue: { capacity: 20, maxWaitMs: 500 } });

export async function handleReport(id: string, signal: AbortSignal): Promise<{ status: number; body: string }> {
  try {
    const body = await reports.execute(
      async ({ signal }) => {
        const response = await fetch(`https://reports.example.com/render/${id}`, { signal });
        return response.text();
      },
      { signal }, // the client hung up: leave the queue at once
    );
    return { status: 200, body };
  } catch (error) {
    // Full (10 running, 20 waiting), evicted or waited 500 ms: shed the request, do not queue it.
    if (isBulkheadRejectedError(error)) return { status: 503, body: `busy (${error.reason})` };
    throw error;
  }
}

console.log(`${reports.active}/${reports.limit} running, ${reports.queued} waiting`);
