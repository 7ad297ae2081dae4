// Preloaded into json-server (`node --import`): json-server 1.0.0-beta.3 calls
// `server.listen(port)` with no host (its --host only names the printed URL),
// which binds every interface. The benchmark stays on loopback, so bind
// 127.0.0.1 and announce the real port (json-server prints `:0` for port 0).
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function loopbackListen(...args) {
  const port = typeof args[0] === 'number' ? args[0] : 0;
  const callback = args.find((arg) => typeof arg === 'function');
  this.once('listening', () => {
    const address = this.address();
    process.stdout.write(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}\n`);
  });
  return listen.call(this, { port, host: '127.0.0.1' }, callback);
};
