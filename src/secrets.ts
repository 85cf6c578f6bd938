import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Config } from './config.js';
import { ErrorCode, PatchbayError } from './errors.js';

/**
 * Secret lookup as Kestra's open-source edition does it: `secret('DB_PASSWORD')` reads the
 * environment variable `SECRET_DB_PASSWORD`, base64-encoded. A YAML map of plain values in
 * PATCHBAY_SECRETS_FILE (a mounted Kubernetes secret, say) is read as well; the environment
 * wins when both define a name.
 */
export type SecretLookup = (name: string) => string | undefined;

function readSecretsFile(file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `PATCHBAY_SECRETS_FILE ${file}: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `PATCHBAY_SECRETS_FILE ${file}: expected a map of NAME: value`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
}

export function createSecretLookup(config: Pick<Config, 'env' | 'secretsFile'>): SecretLookup {
  const fromFile = config.secretsFile ? readSecretsFile(config.secretsFile) : {};
  return (name) => {
    const encoded = config.env[`SECRET_${name}`];
    if (encoded !== undefined) return Buffer.from(encoded, 'base64').toString('utf8');
    return Object.hasOwn(fromFile, name) ? fromFile[name] : undefined;
  };
}

/** Replaces every revealed secret value in `text` with `******` (longest first, so overlaps mask fully). */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const values = [...secrets].filter((value) => value.length > 0).sort((a, b) => b.length - a.length);
  let masked = text;
  for (const value of values) masked = masked.split(value).join('******');
  return masked;
}
