import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** A database of its own on the PostgreSQL server for one benchmark, dropped afterwards. */
export async function freshPostgres(adminUrl: string, label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `patchbay_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: async () => void (await admin.unsafe(`drop database ${name} with (force)`), await admin.end()) };
}
