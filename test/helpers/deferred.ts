/** A promise with its settle functions exposed (Node 20 has no `Promise.withResolvers`). */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** How a promise settled, observed without letting it reject unhandled. */
export type Settlement<T> = { readonly status: 'pending' } | { readonly status: 'fulfilled'; readonly value: T } | { readonly status: 'rejected'; readonly reason: unknown };

/** Observes `promise` and returns a live view of its state, counting settlements. */
export function observe<T>(promise: Promise<T>): { readonly state: Settlement<T>; readonly settledCount: number } {
  const view: { state: Settlement<T>; settledCount: number } = { state: { status: 'pending' }, settledCount: 0 };
  promise.then(
    (value) => {
      view.settledCount++;
      view.state = { status: 'fulfilled', value };
    },
    (reason: unknown) => {
      view.settledCount++;
      view.state = { status: 'rejected', reason };
    },
  );
  return view;
}

/** Lets every queued promise continuation run (one macrotask turn). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A function returning a promise that never settles (work that ignores its signal). */
export function hang<T = never>(): Promise<T> {
  return new Promise<T>(() => {});
}
