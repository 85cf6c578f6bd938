import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { ErrorCode, PatchbayError } from '../errors.js';
import { processAlive } from '../process-alive.js';

/**
 * PGlite is single-process: two processes writing one data folder would corrupt it. A lock
 * file created with O_EXCL records the owner; a second process gets a clear error naming the
 * holder, and a lock left by a dead process (same host) is taken over.
 */
export interface DataDirLock {
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, 'patchbay.lock');
  const me: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: process.argv.slice(1).join(' ') };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: Holder | undefined;
    try {
      holder = JSON.parse(await readFile(file, 'utf8')) as Holder;
    } catch {
      holder = undefined; // unreadable: written by a process that died mid-write
    }
    if (holder && (holder.host !== me.host || processAlive(holder.pid))) {
      throw new PatchbayError(
        ErrorCode.DATABASE_LOCKED,
        `the embedded database in ${dataDir} is in use by process ${holder.pid} on ${holder.host} ` +
          `(\`${holder.command}\`, since ${holder.startedAt}). PGlite serves one process at a time: ` +
          'stop that process, or set DATABASE_URL to a PostgreSQL database that several processes can share.',
      );
    }
    await rm(file, { force: true });
  }
  throw new PatchbayError(ErrorCode.DATABASE_LOCKED, `could not lock ${file}`);
}
