import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { HealthCheckFunction } from '../../src/index.js';

/** Starts a node:http server on 127.0.0.1 (a free port). */
export async function startHttp(listener: RequestListener): Promise<{ server: Server; url: string; stop: () => Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, url: `http://127.0.0.1:${port}`, stop };
}

/**
 * A small TCP dependency the test owns: answers `PING\n` with `PONG\n`. It can be stopped (the
 * port refuses connections), started again on the same port, or paused (it accepts connections
 * and never answers, like a dependency that hangs).
 */
export class TcpDependency {
  port = 0;
  paused = false;
  #server: TcpServer | undefined;
  readonly #sockets = new Set<Socket>();

  async start(): Promise<void> {
    const server = createTcpServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => {});
      socket.on('data', () => {
        if (!this.paused) socket.write('PONG\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A health check that connects to a TCP dependency, sends PING and expects PONG; its signal destroys the socket. */
export function pingCheck(dependency: TcpDependency): HealthCheckFunction {
  return ({ signal }) =>
    new Promise<void>((resolve, reject) => {
      const socket = connect({ port: dependency.port, host: '127.0.0.1' });
      const onAbort = () => socket.destroy(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      const finish = (error?: Error) => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        if (error === undefined) resolve();
        else reject(error);
      };
      socket.setEncoding('utf8');
      socket.once('connect', () => socket.write('PING\n'));
      socket.once('data', (data: string) => finish(data.startsWith('PONG') ? undefined : new Error(`unexpected reply ${data}`)));
      socket.once('error', (error) => finish(error));
    });
}

/** Real time, for tests that involve a real server. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
