import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** Starts `patchbay …` as a real child process (the way operators and replicas run it). */
export const repo = path.resolve(import.meta.dirname, '../..');

export function spawnPatchbay(args: string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, [path.join(repo, 'bin/patchbay.js'), ...args], {
    cwd: repo,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the exit code and output once the process ends. */
export function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Resolves when the process prints a line matching `pattern` on stderr. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got: ${seen}`)), timeoutMs);
    child.stderr?.on('data', (chunk) => {
      seen += chunk;
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`process exited before ${pattern}; got: ${seen}`));
    });
  });
}
