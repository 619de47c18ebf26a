import { createServer } from 'node:http';
import { bulkhead, circuitBreaker, healthCheck, isRejection, loadShedder, pipeline } from 'crackstop';

const admission = loadShedder({ maxInFlight: 200 });
const payments = bulkhead({ limit: 10, queue: { capacity: 20, maxWaitMs: 1_000 } });
const paymentsBreaker = circuitBreaker({ name: 'payments', openMs: 10_000 });

export const health = healthCheck({ serviceId: 'checkout' })
  .addShedder('admission', admission) // pressure in percent; warn while overloaded
  .addBulkhead('payments', payments) // saturation in percent; warn when full
  .addBreaker('payments-circuit', paymentsBreaker); // closed: pass; half-open, open, isolated: warn

// After the drain's grace period, the shedder and the bulkhead refuse every new call (reason
// 'draining') while the calls they accepted go on; the drain waits for those.
const charge = pipeline(admission, payments, paymentsBreaker);
export const server = createServer((req, res) => {
  charge.execute(({ signal }) => fetch('http://127.0.0.1:8081/charge', { method: 'POST', signal })).then(
    (charged) => res.writeHead(charged.ok ? 200 : 502).end(),
    (error: unknown) => res.writeHead(isRejection(error) ? 503 : 502, { 'retry-after': '1' }).end(),
  );
});
