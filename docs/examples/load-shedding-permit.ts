import { createServer } from 'node:http';
import { loadShedder } from '../../src/index.js';

const shedder = loadShedder({ maxInFlight: 100 });

createServer((req, res) => {
  // The synchronous path: no promise, no error object on refusal.
  const permit = shedder.tryAdmit(req.headers['x-priority'] === 'batch' ? 'sheddable' : 'normal');
  if (permit === undefined) {
    res.writeHead(503, { 'retry-after': String(Math.ceil(shedder.retryAfterMs / 1000)) }).end();
    return;
  }
  // Release exactly once, when the response is done (or the client went away).
  res.once('close', () => permit.release());
  res.writeHead(200).end('ok');
}).listen(8081, '127.0.0.1');
