import { pipeline, retry, timeout } from '../../src/index.js';

const policy = pipeline(
  retry({ maxAttempts: 3, shouldRetry: (o) => !o.ok || (o.value instanceof Response && o.value.status >= 500) }),
  timeout({ ms: 2_000 }), // per attempt
);
const response = await policy.execute(({ signal }) => fetch('https://api.example.com/items', { signal }));
console.log(response.status);
