import { AsyncLocalStorage } from 'node:async_hooks';
import { createEventHub, pipeline, retry, timeout } from '../../src/index.js';

const requestId = new AsyncLocalStorage<string>();
const events = createEventHub();
// A listener runs synchronously inside the call that emits, so the request's context is current.
events.onAny((event) => console.log(`[${requestId.getStore() ?? '-'}] ${event.type} from ${event.name}`));

const policy = pipeline(retry({ events }), timeout({ events, ms: 1_000 }));

export function proxy(id: string, url: string): Promise<Response> {
  return requestId.run(id, () => policy.execute(({ signal }) => fetch(url, { signal })));
}
