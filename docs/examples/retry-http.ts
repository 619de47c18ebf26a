import { isRejection, pipeline, retry, timeout, type RetryOutcome } from '../../src/index.js';

interface Reply {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
}

const isReply = (value: unknown): value is Reply => typeof value === 'object' && value !== null && 'status' in value;

/** Retry-After is a number of seconds or an HTTP date. */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (header.trim() !== '' && Number.isFinite(seconds)) return seconds * 1_000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : date - Date.now();
}

const policy = pipeline(
  retry({
    maxAttempts: 4,
    // Errors as by default (all but rejections), plus 429 and 503 results.
    shouldRetry: (o: RetryOutcome<unknown>) =>
      o.ok ? isReply(o.value) && (o.value.status === 429 || o.value.status === 503) : !isRejection(o.error),
    // The server's Retry-After, capped at the backoff's maxMs; otherwise the backoff decides.
    retryAfterMs: (o) => (o.ok && isReply(o.value) ? parseRetryAfter(o.value.retryAfter) : undefined),
  }),
  timeout({ ms: 2_000 }),
);

const reply = await policy.execute(async ({ signal }): Promise<Reply> => {
  const response = await fetch('https://api.example.com/items', { signal });
  // Reading the body inside the attempt puts it under the deadline and frees the connection
  // of a response that will be retried.
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
});
if (reply.status !== 200) console.log(`still ${reply.status} after the last attempt`);
