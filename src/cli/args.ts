import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ErrorCode, PatchbayError } from '../errors.js';

/**
 * node:util's parseArgs with usage errors turned into PatchbayError(USAGE), which the CLI
 * entry point prints on stderr with exit code 2.
 */
export function parseCommandArgs<const O extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new PatchbayError(ErrorCode.USAGE, `${command}: ${(error as Error).message}`);
  }
}

export function usageError(message: string): PatchbayError {
  return new PatchbayError(ErrorCode.USAGE, message);
}
