import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Keeps a server at `limit` open connections without letting connections that
 * never send a complete request lock everyone else out (README "Guarantees").
 *
 * Why this and not Node's `server.maxConnections`: that closes every *new*
 * connection while the cap is full, so 2,000 clients sending their headers a
 * byte a second held all 1,024 places until the 10 s header timeout, and
 * ordinary requests got no answer at all for that long (issue 19). A shorter
 * header deadline only shortens the window (and a flood that reconnects
 * refills it); a larger cap only moves the number. So when the cap is full, a
 * new connection makes room by closing the one that has waited longest
 * without sending a complete request: it has nothing in progress to lose, its
 * client gets a 408 as after a header timeout, and a client that sends its
 * request at once (every ordinary one) is always served. Failing that, the
 * keep-alive connection idle longest is closed (a server may close an idle
 * connection at any time, RFC 9112 §9.8). Only when every connection has a
 * request in progress is the new one closed at once, as before. The cost
 * stays bounded: at most `limit` sockets, each holding at most the 16 KiB
 * of headers Node buffers, and O(1) work per connection.
 */
export function capConnections(
  server: Server,
  limit: number,
  /** Answers and closes a connection that sent no complete request (the server's 408). */
  evict: (socket: Socket) => void,
): void {
  const open = new Set<Socket>();
  // Sets keep insertion order: the first entry is the one waiting longest.
  const noRequestYet = new Set<Socket>();
  const idle = new Set<Socket>();
  const inFlight = new WeakMap<Socket, number>();

  const forget = (socket: Socket) => {
    open.delete(socket);
    noRequestYet.delete(socket);
    idle.delete(socket);
  };
  const oldest = (sockets: Set<Socket>, except: Socket): Socket | undefined => {
    for (const socket of sockets) if (socket !== except) return socket;
    return undefined;
  };

  server.on('connection', (socket: Socket) => {
    open.add(socket);
    noRequestYet.add(socket);
    socket.once('close', () => forget(socket));
    if (open.size <= limit) return;
    const waiting = oldest(noRequestYet, socket);
    if (waiting) {
      forget(waiting);
      return evict(waiting);
    }
    const spare = oldest(idle, socket);
    forget(spare ?? socket);
    (spare ?? socket).destroy();
  });

  // A complete request (its headers are in): the connection has work in progress until the response is done.
  const started = (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    noRequestYet.delete(socket);
    idle.delete(socket);
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      if (left === 0 && open.has(socket) && !socket.destroyed) idle.add(socket);
    });
  };
  server.on('request', started);
  server.on('checkExpectation', started);
}
