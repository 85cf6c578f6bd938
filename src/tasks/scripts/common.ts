import { z } from 'zod';
import type { PropKit } from '../kit.js';

/** YAML writes `DEBUG: 1`; Kestra converts such scalars to strings, so accept them. */
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * Properties of Kestra's AbstractExecScript, shared by the shell and PowerShell tasks. Kestra
 * runs these in a container by default; Patchbay decides at run time which `taskRunner` types
 * it supports, so the runner is declared here with its type only and its own keys passed on.
 */
export function scriptProperties(k: PropKit) {
  return {
    env: k.map(scalar).optional().describe('Extra environment variables for the process'),
    interpreter: k.list(k.string()).optional().describe('Command that runs the script, e.g. ["/bin/sh", "-c"]'),
    beforeCommands: k.list(k.string()).optional().describe('Commands run first, to set up the environment'),
    // Kestra 0.23 deprecated it and no longer ends in WARNING on stderr; Patchbay does so
    // only when a flow asks for it explicitly, hence no default.
    warningOnStdErr: k.bool().optional().describe('End in WARNING when anything is written to stderr (only when set to true)'),
    failFast: k.bool().default(true).describe('Stop at the first command that fails (set -e)'),
    targetOS: k.enum(['LINUX', 'WINDOWS', 'AUTO']).default('AUTO').describe('Operating system the script runs on'),
    taskRunner: z
      .looseObject({ type: z.string().describe('Task runner type, e.g. io.kestra.plugin.core.runner.Process') })
      .optional()
      .describe('Where the script runs; each runner type has its own properties'),
    containerImage: k.string().optional().describe('Container image, for container-based task runners'),
    outputFiles: k.list(k.string()).optional().describe('Files (globs) to keep as outputs after the run'),
    // A map of file name to content, or a string holding that map as JSON (often a template).
    inputFiles: z
      .union([k.map(k.string()), k.string()])
      .optional()
      .describe('Files to create in the working directory, by name'),
    namespaceFiles: z
      .looseObject({
        enabled: k.bool().optional(),
        include: k.list(k.string()).optional(),
        exclude: k.list(k.string()).optional(),
        ifExists: k.enum(['OVERWRITE', 'FAIL', 'WARN', 'IGNORE']).optional(),
        folderPerNamespace: k.bool().optional(),
        namespaces: k.list(k.string()).optional(),
      })
      .optional()
      .describe('Namespace files to copy into the working directory'),
    runner: k.enum(['PROCESS', 'DOCKER']).optional().describe('Deprecated: use taskRunner'),
    docker: z.looseObject({ image: k.string().optional() }).optional().describe('Deprecated: use taskRunner'),
    outputDirectory: k.bool().optional().describe('Deprecated: use outputFiles'),
  };
}

export function commandsProperty(k: PropKit) {
  return k
    .list(k.string())
    .refine((list) => !Array.isArray(list) || list.length > 0, { message: '`commands` needs at least one command' })
    .describe('Commands to run, one after the other');
}
