import { boundedQueue, isQueueFullError } from '../../src/index.js';

interface Job {
  readonly id: string;
  readonly url: string;
}

// Back pressure: at most 100 jobs wait; a producer waits up to 2 s for room, then gets an error.
const jobs = boundedQueue<Job>({ name: 'thumbnails', capacity: 100, overflow: 'block', maxWaitMs: 2_000 });

// Four workers take jobs in order until the queue is closed and empty.
const workers = Array.from({ length: 4 }, async () => {
  for await (const job of jobs) {
    await fetch(job.url, { method: 'POST', body: job.id });
  }
});

export async function enqueue(job: Job, signal: AbortSignal): Promise<number> {
  try {
    await jobs.push(job, { signal }); // the request was cancelled: stop waiting for room
    return 202;
  } catch (error) {
    if (isQueueFullError(error)) return 503; // no room within 2 s
    throw error;
  }
}

// Graceful shutdown: refuse new jobs, let the workers finish what is queued.
export async function shutdown(): Promise<void> {
  jobs.close();
  await Promise.all(workers);
}
