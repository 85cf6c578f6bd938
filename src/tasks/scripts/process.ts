import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';

export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  signal: AbortSignal;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  /** Time between SIGTERM and SIGKILL when stopping the process group. */
  killGraceMs?: number;
}

export interface ProcessResult {
  /** Null when the process was ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The task's signal fired and the process group was stopped. */
  aborted: boolean;
}

const DEFAULT_KILL_GRACE_MS = 5_000;

/**
 * Runs one local process in its own process group (spawned detached) so that stopping it
 * stops everything it started. On abort the group gets SIGTERM, then SIGKILL after the grace
 * period. When the main process exits normally, whatever it left running in its group is
 * stopped the same way: a worker must not collect orphans, and a background child holding
 * stdout open would otherwise keep the task running. Resolves once stdout and stderr closed.
 */
export function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const grace = spec.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

    const signalGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch (error) {
        // ESRCH: the group is already empty.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    };
    const stopGroup = () => {
      signalGroup('SIGTERM');
      killTimer ??= setTimeout(() => signalGroup('SIGKILL'), grace);
    };
    const onAbort = () => {
      aborted = true;
      stopGroup();
    };
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      spec.signal.removeEventListener('abort', onAbort);
      outcome();
    };

    child.stdout.on('data', spec.onStdout);
    child.stderr.on('data', spec.onStderr);
    child.once('error', (error) => {
      signalGroup('SIGKILL');
      finish(() => reject(error));
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      stopGroup();
    });
    child.once('close', (code, signal) => {
      const result = exit ?? { code, signal };
      finish(() => resolve({ exitCode: result.code, signal: result.signal, aborted }));
    });

    if (spec.signal.aborted) onAbort();
    else spec.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The path of the executable `name` on a PATH-style list, or undefined; a name with a slash is a path. */
export async function findExecutable(name: string, pathList: string | undefined): Promise<string | undefined> {
  const candidates = name.includes('/') ? [name] : (pathList ?? '').split(':').filter((dir) => dir !== '').map((dir) => `${dir}/${name}`);
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there, or not executable: try the next directory
    }
  }
  return undefined;
}
