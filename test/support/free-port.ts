import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago (bound to port 0, then released): for a server that
 * cannot listen on port 0 and announce its choice (Specmatic, json-server), or for a port that
 * must refuse connections.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
