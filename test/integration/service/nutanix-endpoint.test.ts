import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { resolveNutanixEndpoint } from '../../../src/service/nutanix-endpoint.js';

/** Which Prism Central tasks use when flows name none: NUTANIX_HOST, or the data folder's simulator. */
describe('the server Nutanix endpoint', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-endpoint-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const config = (env: Record<string, string>) => loadConfig({ PATCHBAY_DATA_DIR: path.join(dir, 'data'), ...env }, dir);

  it('uses NUTANIX_HOST with its CA bundle, and names a CA file it cannot read', async () => {
    await writeFile(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const real = await resolveNutanixEndpoint(config({ NUTANIX_HOST: 'pc.example.com', NUTANIX_API_KEY: 'k', NUTANIX_CA_FILE: 'ca.pem' }));
    expect(real?.defaults).toMatchObject({ host: 'pc.example.com', port: 9440, apiKey: 'k', source: 'NUTANIX_HOST', caCert: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(real?.description).toBe('https://pc.example.com:9440');
    expect(real?.secretDefaults).toEqual({});
    await expect(resolveNutanixEndpoint(config({ NUTANIX_HOST: 'pc', NUTANIX_API_KEY: 'k', NUTANIX_CA_FILE: 'missing.pem' }))).rejects.toThrow(/NUTANIX_CA_FILE .*missing\.pem: ENOENT/);
  });

  it('refuses half a configuration, naming the missing setting', () => {
    expect(() => config({ NUTANIX_HOST: 'pc' })).toThrow(/neither NUTANIX_API_KEY nor NUTANIX_USERNAME and NUTANIX_PASSWORD/);
    expect(() => config({ NUTANIX_API_KEY: 'k' })).toThrow(/NUTANIX_HOST: required when NUTANIX_API_KEY is set/);
    expect(() => config({ NUTANIX_HOST: 'https://pc:9440', NUTANIX_API_KEY: 'k' })).toThrow(/NUTANIX_HOST: must be a host name or address/);
  });

  it('without NUTANIX_HOST: a worker finds none, a server starts the simulator and publishes it until it closes', async () => {
    const settings = config({});
    expect(await resolveNutanixEndpoint(settings, { start: false })).toBeUndefined();
    const built = await resolveNutanixEndpoint(settings, { taskDelayMs: 0, rebootMs: 10 });
    try {
      expect(built?.defaults.source).toBe('built-in simulator');
      expect(built?.description).toMatch(/^built-in simulator at https:\/\/127\.0\.0\.1:\d+ \(prod-web-01, /);
      expect(Object.keys(built?.secretDefaults ?? {}).sort()).toEqual(['GUEST_KNOWN_HOSTS', 'GUEST_SSH_PASSWORD', 'GUEST_SSH_USERNAME', 'NUTANIX_CLUSTER_EXT_ID', 'NUTANIX_DR_CLUSTER_EXT_ID']);
      const published = JSON.parse(await readFile(path.join(settings.dataDir, 'sim', 'endpoint.json'), 'utf8')) as { pid: number };
      expect(published.pid).toBe(process.pid);
    } finally {
      await built?.close();
    }
    await expect(stat(path.join(settings.dataDir, 'sim', 'endpoint.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    await stat(path.join(settings.dataDir, 'sim', 'state.json')); // the simulator's state stays for the next start
  }, 60_000);
});
