import { isTimeoutError, timeout } from '../../src/index.js';

const deadline = timeout({ name: 'inventory', ms: 2_000 });

export async function stockOf(sku: string): Promise<number | undefined> {
  try {
    // The whole exchange runs inside the deadline, body included.
    return await deadline.execute(async ({ signal }) => {
      const response = await fetch(`https://inventory.example.com/stock/${sku}`, { signal });
      const body = (await response.json()) as { count: number };
      return body.count;
    });
  } catch (error) {
    if (isTimeoutError(error)) return undefined; // fetch was aborted with this very error
    throw error;
  }
}
