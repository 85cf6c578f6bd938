import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpRequest } from '../../../../src/tasks/http/Request.js';
import { leakedHandles, openHandleCount } from '../../../support/handles.js';
import { type TestHttpServer, startConnectProxy, startHttpServer, startSocksProxy } from '../../../support/http-server.js';
import { type TestRun, createTestRun, rejection } from '../../../support/task-context.js';

let t: TestRun;
let server: TestHttpServer;
let baseline: number;
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  baseline = openHandleCount();
});
beforeEach(async () => {
  t = await createTestRun();
  server = await startHttpServer((request, response) => {
    const path = request.url.split('?')[0];
    switch (path) {
      case '/json':
        response.setHeader('Content-Type', 'application/json');
        response.setHeader('X-Multi', ['a', 'b']);
        return void response.end('{"vm":"prod-web-01"}');
      case '/echo':
        return void response.end(`${request.method} ${request.body.toString()}`);
      case '/missing':
        return void response.writeHead(404).end(`${'x'.repeat(500)}TAIL`);
      case '/unavailable':
        return void response.writeHead(503).end('maintenance');
      case '/created':
        return void response.writeHead(201).end('made');
      case '/redirect':
        return void response.writeHead(302, { Location: '/json' }).end();
      case '/see-other':
        return void response.writeHead(303, { Location: '/echo' }).end();
      case '/temporary':
        return void response.writeHead(307, { Location: '/echo' }).end();
      case '/big':
        return void response.end('y'.repeat(2000));
      case '/hang':
        return; // never answers; the server closes the connection when the test ends
      default:
        return void response.writeHead(500).end('unknown path');
    }
  });
  closers.push(() => server.close());
});
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
  await t.cleanup();
});
afterAll(async () => {
  expect(await leakedHandles(baseline)).toBe(0);
});

const last = () => server.requests.at(-1)!;

describe('HTTP Request: outputs and what is sent', () => {
  it('outputs uri, code, headers as lists and the body as unparsed text', async () => {
    const result = await t.run(HttpRequest, { uri: `${server.url}/json` });
    expect(result.outputs).toMatchObject({ uri: `${server.url}/json`, code: 200, body: '{"vm":"prod-web-01"}' });
    const headers = result.outputs?.headers as Record<string, string[]>;
    expect(headers['content-type']).toEqual(['application/json']);
    expect(headers['x-multi']).toEqual(['a', 'b']);
    expect(last().headers['user-agent']).toBe('Patchbay');
    // As Kestra: contentType is announced even without a body.
    expect(last().headers['content-type']).toBe('application/json');
  });

  it('sends a text body in contentType with the charset appended, and a map body as JSON', async () => {
    await t.run(HttpRequest, { uri: `${server.url}/echo`, method: 'POST', body: 'plain words', contentType: 'text/plain' });
    expect(last().headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(last().body.toString()).toBe('plain words');
    const result = await t.run(HttpRequest, { uri: `${server.url}/echo`, method: 'PUT', body: { vm: 'web', n: 2 } });
    expect(result.outputs?.body).toBe('PUT {"vm":"web","n":2}');
    expect(last().headers['content-type']).toBe('application/json; charset=UTF-8');
  });

  it('sends formData URL-encoded, or as multipart with file parts', async () => {
    await t.run(HttpRequest, { uri: `${server.url}/echo`, method: 'POST', formData: { user: 'John Doe', n: 5 } });
    expect(last().headers['content-type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    expect(last().body.toString()).toBe('user=John+Doe&n=5');
    await t.run(HttpRequest, {
      uri: `${server.url}/echo`,
      method: 'POST',
      contentType: 'multipart/form-data',
      formData: { user: 'John Doe', file: { name: 'notes.txt', content: 'line one' } },
    });
    expect(last().headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const body = last().body.toString();
    expect(body).toContain('name="user"\r\n\r\nJohn Doe\r\n');
    expect(body).toMatch(/name="file"; filename="notes.txt"\r\nContent-Type: application\/octet-stream\r\n\r\nline one\r\n/);
  });

  it('sends the flow headers (scalars as text), replacing defaults whatever their case', async () => {
    await t.run(HttpRequest, { uri: `${server.url}/json`, headers: { 'X-Count': 5, 'user-agent': 'ops-bot', 'content-type': 'text/csv' } });
    expect(last().headers).toMatchObject({ 'x-count': '5', 'user-agent': 'ops-bot', 'content-type': 'text/csv' });
  });

  it('authenticates with BASIC (current and deprecated names) and BEARER, and refuses DIGEST', async () => {
    const basic = `Basic ${Buffer.from('ops:s3cret').toString('base64')}`;
    await t.run(HttpRequest, { uri: `${server.url}/json`, options: { auth: { type: 'BASIC', username: 'ops', password: 's3cret' } } });
    expect(last().headers.authorization).toBe(basic);
    await t.run(HttpRequest, { uri: `${server.url}/json`, options: { basicAuthUser: 'ops', basicAuthPassword: 's3cret' } });
    expect(last().headers.authorization).toBe(basic);
    await t.run(HttpRequest, { uri: `${server.url}/json`, options: { auth: { type: 'BEARER', token: 'tok' } } });
    expect(last().headers.authorization).toBe('Bearer tok');
    const error = await rejection(t.run(HttpRequest, { uri: `${server.url}/json`, options: { auth: { type: 'DIGEST', username: 'a', password: 'b' } } }));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('DIGEST');
  });

  it('leaves body out for HEAD', async () => {
    const result = await t.run(HttpRequest, { uri: `${server.url}/json`, method: 'HEAD' });
    expect(result.outputs).not.toHaveProperty('body');
    expect(result.outputs?.code).toBe(200);
  });

  it('goes through an HTTP proxy with proxy credentials', async () => {
    const proxy = await startConnectProxy();
    closers.push(() => proxy.close());
    const result = await t.run(HttpRequest, {
      uri: `${server.url}/json`,
      options: { proxy: { type: 'HTTP', address: '127.0.0.1', port: proxy.port, username: 'pu', password: 'pp' } },
    });
    expect(result.outputs?.code).toBe(200);
    expect(proxy.tunnels).toEqual([{ target: `127.0.0.1:${server.port}`, authorization: `Basic ${Buffer.from('pu:pp').toString('base64')}` }]);
  });

  it('goes through a SOCKS5 proxy given with the deprecated flat options', async () => {
    const proxy = await startSocksProxy();
    closers.push(() => proxy.close());
    const result = await t.run(HttpRequest, {
      uri: `${server.url}/json`,
      options: { proxyType: 'SOCKS', proxyAddress: '127.0.0.1', proxyPort: proxy.port, proxyUsername: 'su', proxyPassword: 'sp' },
    });
    expect(result.outputs?.body).toBe('{"vm":"prod-web-01"}');
    expect(proxy.tunnels).toEqual([{ target: `127.0.0.1:${server.port}`, authorization: 'su:sp' }]);
  });
});

describe('HTTP Request: failures', () => {
  it('fails on 404, not retryable, naming the code and the first 500 characters of the body but not the query', async () => {
    const error = await rejection(t.run(HttpRequest, { uri: `${server.url}/missing?token=abc123` }));
    expect(error.message).toBe(`HTTP GET ${server.url}/missing failed with response code 404 and body: ${'x'.repeat(500)}…`);
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ code: 404 });
  });

  it('fails on 503 as retryable', async () => {
    const error = await rejection(t.run(HttpRequest, { uri: `${server.url}/unavailable` }));
    expect(error.message).toContain('response code 503 and body: maintenance');
    expect(error.retryable).toBe(true);
  });

  it('returns the outputs of a failed response with allowFailed (current and deprecated)', async () => {
    const viaOptions = await t.run(HttpRequest, { uri: `${server.url}/unavailable`, options: { allowFailed: true } });
    expect(viaOptions.outputs).toMatchObject({ code: 503, body: 'maintenance' });
    const deprecated = await t.run(HttpRequest, { uri: `${server.url}/missing`, allowFailed: 'true' });
    expect(deprecated.outputs?.code).toBe(404);
  });

  it('fails on a code outside options.allowedResponseCodes', async () => {
    const error = await rejection(t.run(HttpRequest, { uri: `${server.url}/created`, options: { allowedResponseCodes: [200] } }));
    expect(error.message).toContain('response code 201');
  });

  it('fails over maxContentLength, not retryable', async () => {
    const error = await rejection(t.run(HttpRequest, { uri: `${server.url}/big`, options: { maxContentLength: 1000 } }));
    expect(error.message).toBe(`HTTP GET ${server.url}/big: the response body is larger than maxContentLength (1000 bytes)`);
    expect(error.retryable).toBe(false);
  });

  it('times out a silent server after readIdleTimeout, as retryable', async () => {
    const started = Date.now();
    const error = await rejection(t.run(HttpRequest, { uri: `${server.url}/hang`, options: { timeout: { readIdleTimeout: 'PT0.3S' } } }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.message).toMatch(/^HTTP GET .*\/hang failed: Headers Timeout Error/);
    expect(error.retryable).toBe(true);
  });

  it('fails a refused connection as retryable', async () => {
    const gone = await startHttpServer(() => undefined);
    await gone.close();
    const error = await rejection(t.run(HttpRequest, { uri: `${gone.url}/x` }));
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.retryable).toBe(true);
  });

  it('stops on abort', async () => {
    const running = t.run(HttpRequest, { uri: `${server.url}/hang` });
    setTimeout(() => t.controller.abort(new Error('execution killed')), 100);
    const error = await rejection(running);
    expect(error.message).toBe(`HTTP GET ${server.url}/hang was stopped: execution killed`);
  });
});

describe('HTTP Request: redirects', () => {
  it('follows a redirect and keeps the requested uri in the outputs', async () => {
    const result = await t.run(HttpRequest, { uri: `${server.url}/redirect` });
    expect(result.outputs).toMatchObject({ uri: `${server.url}/redirect`, code: 200, body: '{"vm":"prod-web-01"}' });
  });

  it('returns the redirect itself with followRedirects: false', async () => {
    const result = await t.run(HttpRequest, { uri: `${server.url}/redirect`, options: { followRedirects: false } });
    expect(result.outputs).toMatchObject({ code: 302, headers: { location: ['/json'] } });
  });

  it('continues a POST as a GET without body after 303, and repeats it after 307', async () => {
    const seeOther = await t.run(HttpRequest, { uri: `${server.url}/see-other`, method: 'POST', body: 'payload' });
    expect(seeOther.outputs?.body).toBe('GET ');
    expect(last().headers['content-type']).toBeUndefined();
    const temporary = await t.run(HttpRequest, { uri: `${server.url}/temporary`, method: 'POST', body: 'payload' });
    expect(temporary.outputs?.body).toBe('POST payload');
  });

  it('does not carry credentials to another origin', async () => {
    const other = await startHttpServer((_request, response) => void response.end('landed'));
    closers.push(() => other.close());
    const origin = await startHttpServer((_request, response) => void response.writeHead(302, { Location: `${other.url}/landing` }).end());
    closers.push(() => origin.close());
    const result = await t.run(HttpRequest, { uri: `${origin.url}/away`, options: { auth: { type: 'BEARER', token: 'tok' } } });
    expect(result.outputs?.body).toBe('landed');
    expect(origin.requests[0]?.headers.authorization).toBe('Bearer tok');
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });
});
