import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PowerShellCommands } from '../../../../src/tasks/scripts/PowerShellCommands.js';
import { PowerShellScript } from '../../../../src/tasks/scripts/PowerShellScript.js';
import { ShellCommands } from '../../../../src/tasks/scripts/ShellCommands.js';
import { ShellScript } from '../../../../src/tasks/scripts/ShellScript.js';
import { runProcess } from '../../../../src/tasks/scripts/process.js';
import { leakedHandles, openHandleCount } from '../../../support/handles.js';
import { type TestRun, createTestRun, rejection } from '../../../support/task-context.js';

let t: TestRun;
let baseline: number;
beforeAll(() => {
  baseline = openHandleCount();
});
beforeEach(async () => {
  t = await createTestRun();
});
afterEach(() => t.cleanup());
afterAll(async () => {
  expect(await leakedHandles(baseline)).toBe(0);
});

/**
 * Whether `pid` still runs. A killed grandchild is re-parented to PID 1, which in some
 * containers never reaps it: a zombie answers kill(pid, 0) but runs nothing, so it counts as gone.
 */
async function alive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Waits until the script wrote `name` in the working directory, and returns its number. */
async function pidFile(name: string): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    const text = await readFile(join(t.context.workingDirectory, name), 'utf8').catch(() => '');
    if (text.endsWith('\n')) return Number(text.trim());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${name} never appeared`);
}

describe('shell Commands', () => {
  it('runs in the working directory, logs stdout at INFO and stderr at ERROR, and counts lines', async () => {
    const result = await t.run(ShellCommands, { commands: ['pwd', 'echo oops >&2', 'printf "no newline"'] });
    expect(result.outputs).toEqual({ exitCode: 0, vars: {}, stdOutLineCount: 2, stdErrLineCount: 1 });
    expect(t.messages('info')).toEqual([t.context.workingDirectory, 'no newline']);
    expect(t.messages('error')).toEqual(['oops']);
    expect(result.warning).toBeUndefined();
  });

  it('collects vars from ::{"outputs":…}:: lines, logs ::{"logs":…}:: entries, and hides both lines', async () => {
    const result = await t.run(ShellCommands, {
      commands: [
        `echo '::{"outputs":{"ip":"10.0.0.5","n":2}}::'`,
        `echo '::{"outputs":{"n":3,"ok":true}}::'`,
        `echo '::{"logs":[{"level":"WARN","message":"disk at 91%"}]}::'`,
        `echo '::{not json}::'`,
      ],
    });
    expect(result.outputs?.vars).toEqual({ ip: '10.0.0.5', n: 3, ok: true });
    expect(t.messages('warn')[0]).toBe('disk at 91%');
    expect(t.messages('warn')[1]).toMatch(/^Invalid outputs '::\{not json\}::'/);
    expect(t.messages('info')).toEqual([]);
  });

  it('gives the process PATH/HOME, WORKING_DIR and the task env, and runs beforeCommands first', async () => {
    await t.run(ShellCommands, {
      beforeCommands: ['echo before'],
      commands: ['echo "$GREETING $COUNT $WORKING_DIR"', 'test -n "$PATH" && echo has-path'],
      env: { GREETING: 'hello', COUNT: 3 },
    });
    expect(t.messages('info')).toEqual(['before', `hello 3 ${t.context.workingDirectory}`, 'has-path']);
  });

  it('stops at the first failing command (set -e), naming the exit code and the last stderr lines', async () => {
    const error = await rejection(t.run(ShellCommands, { commands: ['echo "cannot reach repo" >&2', 'exit 7', 'echo after'] }));
    expect(error.message).toBe('Shell command failed with exit code 7\nLast lines on stderr:\ncannot reach repo');
    expect(error.retryable).toBe(true);
    expect(error.details).toEqual({ outputs: { exitCode: 7, vars: {}, stdOutLineCount: 0, stdErrLineCount: 1 } });
    expect(t.messages('info')).not.toContain('after');
  });

  it('with failFast: false runs every command and takes the exit code of the last one', async () => {
    const result = await t.run(ShellCommands, { failFast: false, commands: ['false', 'echo after'] });
    expect(result.outputs?.exitCode).toBe(0);
    expect(t.messages('info')).toEqual(['after']);
  });

  it('ends in WARNING on stderr only when warningOnStdErr is set to true', async () => {
    expect((await t.run(ShellCommands, { commands: ['echo a >&2'] })).warning).toBeUndefined();
    const warned = await t.run(ShellCommands, { commands: ['echo a >&2', 'echo b >&2'], warningOnStdErr: true });
    expect(warned.warning).toBe('2 line(s) written to stderr (warningOnStdErr)');
  });

  it('uses a custom interpreter, arguments in order', async () => {
    await t.run(ShellCommands, { interpreter: ['/usr/bin/env', 'sh', '-c'], failFast: false, commands: ['echo "$0"'] });
    expect(t.messages('info')).toEqual(['sh']);
  });

  it('fails, not retryable, when the interpreter is not on PATH', async () => {
    const error = await rejection(t.run(ShellCommands, { interpreter: ['no-such-shell', '-c'], commands: ['true'] }));
    expect(error.message).toBe('Shell task cannot run: the interpreter no-such-shell is not on PATH');
    expect(error.retryable).toBe(false);
  });

  it('warns that container settings are ignored, and not for the process runner', async () => {
    await t.run(ShellCommands, { commands: ['true'], taskRunner: { type: 'io.kestra.plugin.core.runner.Process' } });
    expect(t.messages('warn')).toEqual([]);
    await t.run(ShellCommands, { commands: ['true'], containerImage: 'ubuntu', taskRunner: { type: 'io.kestra.plugin.scripts.runner.docker.Docker' }, outputFiles: ['out.txt'] });
    expect(t.messages('warn')).toEqual([
      'Patchbay runs this script as a local process on the worker, not in a container: taskRunner io.kestra.plugin.scripts.runner.docker.Docker, containerImage ubuntu ignored',
      'Patchbay keeps no file storage: outputFiles ignored',
    ]);
  });

  it('writes inputFiles (a map or its JSON) into the working directory, and refuses paths outside it', async () => {
    await t.run(ShellCommands, { inputFiles: { 'conf/app.ini': 'port=8080' }, commands: ['cat conf/app.ini'] });
    await t.run(ShellCommands, { inputFiles: '{"b.txt":"from json"}', commands: ['cat b.txt'] });
    expect(t.messages('info')).toEqual(['port=8080', 'from json']);
    const error = await rejection(t.run(ShellCommands, { inputFiles: { '../escape.txt': 'x' }, commands: ['true'] }));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("'../escape.txt' must be a relative path");
  });
});

describe('stopping a script', () => {
  it('stops a sleeping script within a second on abort and leaves no process behind', async () => {
    const running = t.run(ShellCommands, { commands: ['echo $$ > shell.pid', 'sleep 30 & echo $! > sleep.pid', 'wait'] });
    const [shell, sleeper] = [await pidFile('shell.pid'), await pidFile('sleep.pid')];
    const started = Date.now();
    t.controller.abort(new Error('killed by U123'));
    const error = await rejection(running);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.message).toBe('Shell task was stopped: killed by U123');
    expect(await alive(shell)).toBe(false);
    expect(await alive(sleeper)).toBe(false);
  });

  it('stops what a finished script left running in the background', async () => {
    const started = Date.now();
    const result = await t.run(ShellCommands, { commands: ['sleep 30 & echo $! > bg.pid', 'echo done'] });
    expect(result.outputs?.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await alive(await pidFile('bg.pid'))).toBe(false);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const controller = new AbortController();
    const pids: number[] = [];
    const running = runProcess({
      command: '/bin/sh',
      args: ['-c', "trap '' TERM; echo $$; sleep 30 & echo $!; wait"],
      cwd: t.context.workingDirectory,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      signal: controller.signal,
      onStdout: (chunk) => {
        pids.push(...chunk.toString().trim().split('\n').map(Number));
        if (pids.length === 2) controller.abort();
      },
      onStderr: () => undefined,
      killGraceMs: 200,
    });
    const result = await running;
    expect(result).toEqual({ exitCode: null, signal: 'SIGKILL', aborted: true });
    for (const pid of pids) expect(await alive(pid)).toBe(false);
  });
});

describe('shell Script', () => {
  it('runs a multi-line script inline and fails with its exit code', async () => {
    const result = await t.run(ShellScript, { script: 'for vm in a b; do\n  echo "patched $vm"\ndone' });
    expect(t.messages('info')).toEqual(['patched a', 'patched b']);
    expect(result.outputs?.exitCode).toBe(0);
    const error = await rejection(t.run(ShellScript, { script: 'echo half\nexit 3' }));
    expect(error.message).toBe('Shell command failed with exit code 3');
  });
});

describe('PowerShell', () => {
  it('fails, not retryable, when pwsh is not installed', async () => {
    t.context.processEnv = { PATH: t.context.workingDirectory, HOME: t.context.workingDirectory };
    const error = await rejection(t.run(PowerShellCommands, { commands: ['Get-Date'] }));
    expect(error.message).toBe('PowerShell task cannot run: PowerShell is not installed on this worker (pwsh is not on PATH)');
    expect(error.retryable).toBe(false);
  });

  describe('with pwsh on PATH', () => {
    beforeEach(async () => {
      // A stand-in pwsh that prints the arguments it was given, one per line.
      const bin = join(t.context.workingDirectory, 'bin');
      await mkdir(bin);
      await writeFile(join(bin, 'pwsh'), '#!/bin/sh\nfor arg in "$@"; do printf "%s\\n" "$arg"; done\n');
      await chmod(join(bin, 'pwsh'), 0o755);
      t.context.processEnv = { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: t.context.workingDirectory };
    });

    it('runs commands as pwsh -NoProfile -NonInteractive -Command, stopping on errors', async () => {
      await t.run(PowerShellCommands, { commands: ['Write-Output hi', 'Get-Date'] });
      expect(t.messages('info')).toEqual(['-NoProfile', '-NonInteractive', '-Command', "$ErrorActionPreference = 'Stop'", 'Write-Output hi', 'Get-Date']);
    });

    it('writes a script to a .ps1 file and invokes it', async () => {
      await t.run(PowerShellScript, { script: 'param($Name = "x")\nWrite-Output $Name', failFast: false });
      const files = (await readdir(t.context.workingDirectory)).filter((name) => name.endsWith('.ps1'));
      expect(files).toHaveLength(1);
      const path = join(t.context.workingDirectory, files[0]!);
      expect(await readFile(path, 'utf8')).toBe('param($Name = "x")\nWrite-Output $Name');
      expect(t.messages('info')).toEqual(['-NoProfile', '-NonInteractive', '-Command', `& '${path}'`]);
    });
  });
});
