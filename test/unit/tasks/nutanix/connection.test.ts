import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPatchbayError } from '../../../../src/errors.js';
import type { NutanixDefaults } from '../../../../src/tasks/integrations.js';
import { type ConnectionProps, resolveConnection } from '../../../../src/tasks/nutanix/connection.js';
import type { TaskLogger } from '../../../../src/tasks/types.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const base: ConnectionProps = { scheme: 'https', verifySsl: true, insecure: false, apiVersion: 'v4.0', requestTimeout: 'PT30S', pollInterval: 'PT2S', waitTimeout: 'PT30M' };
const server: NutanixDefaults = { host: 'pc.internal', port: 9440, apiKey: 'server-key', caCert: PEM, source: 'NUTANIX_HOST' };

function logger(): TaskLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const none = () => undefined;
  return { trace: none, debug: none, info: none, error: none, warn: (message: string) => void warnings.push(message), warnings };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!isPatchbayError(error)) throw new Error(`expected a PatchbayError, got ${String(error)}`);
  expect(error.retryable).toBe(false);
  return error.message;
}

describe('Nutanix connection resolution', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchbay-ntnx-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("uses the server's connection when the flow gives no host", async () => {
    const log = logger();
    const resolved = await resolveConnection(base, server, log);
    expect(resolved).toMatchObject({ origin: 'https://pc.internal:9440', label: 'pc.internal:9440 (NUTANIX_HOST)', auth: { name: 'X-ntnx-api-key', value: 'server-key' }, insecure: false });
    expect(resolved.ca?.at(-1)).toBe(PEM);
    expect(resolved.ca!.length).toBeGreaterThan(1); // the system CAs stay trusted
    expect([resolved.requestTimeoutMs, resolved.pollIntervalMs, resolved.waitTimeoutMs]).toEqual([30_000, 2_000, 1_800_000]);
    expect(log.warnings).toEqual([]);
  });

  it('says how to configure Prism Central when neither host nor server connection exists', async () => {
    const message = await failure(resolveConnection(base, undefined, logger()));
    expect(message).toContain("no Prism Central to talk to: set NUTANIX_HOST on the server, or the task's `host` (usually through pluginDefaults for io.kestra.plugin.ee.nutanix)");
    expect(message).toContain('`patchbay sim`');
  });

  it("never sends the server's credentials or CA to another host", async () => {
    expect(await failure(resolveConnection({ ...base, host: 'elsewhere.example' }, server, logger()))).toContain('no credentials for Prism Central elsewhere.example:9440');
    const other = await resolveConnection({ ...base, host: 'elsewhere.example', token: 't' }, server, logger());
    expect(other.ca).toBeUndefined();
    const same = await resolveConnection({ ...base, host: 'pc.internal' }, server, logger());
    expect(same.auth.value).toBe('server-key');
  });

  it('prefers the token, then username/password, and refuses half a login', async () => {
    const basic = await resolveConnection({ ...base, host: 'h', username: 'admin', password: 'p@ss' }, undefined, logger());
    expect(basic.auth).toEqual({ name: 'Authorization', value: `Basic ${Buffer.from('admin:p@ss').toString('base64')}` });
    const token = await resolveConnection({ ...base, host: 'h', token: 'k', username: 'admin', password: 'p' }, undefined, logger());
    expect(token.auth).toEqual({ name: 'X-ntnx-api-key', value: 'k' });
    expect(await failure(resolveConnection({ ...base, host: 'h', username: 'admin' }, undefined, logger()))).toContain('`password`: set both username and password');
  });

  it('verifies TLS unless insecure or verifySsl: false, and warns without showing secrets', async () => {
    for (const props of [{ insecure: true }, { verifySsl: false }]) {
      const log = logger();
      const resolved = await resolveConnection({ ...base, ...props, host: 'h', token: 'secret-token' }, undefined, log);
      expect(resolved.insecure).toBe(true);
      expect(log.warnings).toHaveLength(1);
      expect(log.warnings[0]).toContain('TLS certificate verification is OFF for Prism Central h:9440');
      expect(log.warnings[0]).not.toContain('secret-token');
    }
  });

  it('reads caCertificate as PEM text or a file, and names a bad value', async () => {
    const file = join(dir, 'ca.pem');
    await writeFile(file, PEM);
    expect((await resolveConnection({ ...base, host: 'h', token: 't', caCertificate: file }, undefined, logger())).ca?.at(-1)).toBe(PEM);
    expect((await resolveConnection({ ...base, host: 'h', token: 't', caCertificate: PEM }, undefined, logger())).ca?.at(-1)).toBe(PEM);
    expect(await failure(resolveConnection({ ...base, host: 'h', token: 't', caCertificate: join(dir, 'missing.pem') }, undefined, logger()))).toMatch(/^`caCertificate`: ".*missing\.pem" is neither PEM text nor a readable PEM file/);
  });

  it("refuses a URL as host, and maps Kestra's pre-release apiVersion to GA", async () => {
    expect(await failure(resolveConnection({ ...base, host: 'https://pc:9440', token: 't' }, undefined, logger()))).toContain('`host`: "https://pc:9440" must be a host name');
    expect((await resolveConnection({ ...base, host: 'h', token: 't', apiVersion: 'v4.0.a4', port: 443 }, undefined, logger()))).toMatchObject({ apiVersion: 'v4.0', origin: 'https://h:443' });
  });
});
