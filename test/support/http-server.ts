import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type Socket, connect, createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface TestHttpServer {
  /** Base URL, e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 (random port) that records each request with its body. */
export async function startHttpServer(handler: Handler): Promise<TestHttpServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, requests, close: () => closeServer(server) };
}

export interface TestProxy {
  port: number;
  /** `host:port` of each tunnel the proxy opened, with the credentials it got. */
  tunnels: { target: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

/** A forward proxy that serves CONNECT tunnels, as undici's ProxyAgent uses them. */
export async function startConnectProxy(): Promise<TestProxy> {
  const tunnels: TestProxy['tunnels'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: IncomingMessage, client: Socket) => {
    tunnels.push({ target: req.url ?? '', authorization: req.headers['proxy-authorization'] });
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client).pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
  });
  const port = await listen(server);
  return {
    port,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

/**
 * A SOCKS5 proxy (RFC 1928) with username/password authentication (RFC 1929), enough for
 * undici's Socks5ProxyAgent: it records the credentials and the port of each CONNECT.
 */
export async function startSocksProxy(): Promise<TestProxy> {
  const tunnels: TestProxy['tunnels'] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createTcpServer((client) => {
    track(client);
    client.once('data', () => {
      client.write(Buffer.from([5, 2])); // version 5, username/password
      client.once('data', (auth: Buffer) => {
        const userLength = auth[1] ?? 0;
        const passwordLength = auth[2 + userLength] ?? 0;
        const credentials = `${auth.subarray(2, 2 + userLength).toString()}:${auth.subarray(3 + userLength, 3 + userLength + passwordLength).toString()}`;
        client.write(Buffer.from([1, 0]));
        client.once('data', (request: Buffer) => {
          const port = request.readUInt16BE(request.length - 2);
          tunnels.push({ target: `127.0.0.1:${port}`, authorization: credentials });
          const upstream = connect(port, '127.0.0.1', () => {
            client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
            upstream.pipe(client).pipe(upstream);
          });
          track(upstream);
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
