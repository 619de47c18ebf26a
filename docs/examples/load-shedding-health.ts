import { loadShedder } from '../../src/index.js';

const shedder = loadShedder({ maxInFlight: 200, latency: { targetMs: 300 } });

// A readiness probe that reports the shedder's view (an orchestrator stops sending traffic while
// the service is overloaded, and the shedder keeps refusing the excess meanwhile).
export function readiness(): { status: number; body: string } {
  const s = shedder.snapshot();
  return {
    status: s.overloaded ? 503 : 200,
    body: JSON.stringify({ status: s.overloaded ? 'warn' : 'pass', pressure: s.pressure, inFlight: s.inFlight, loads: s.loads }),
  };
}
