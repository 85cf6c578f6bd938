import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ErrorCode, PatchbayError } from './errors.js';

/**
 * Group membership for `assignment.groups` where Slack user groups are not available (the
 * CLI, the shell chat): a YAML map `group: [user, …]` named by PATCHBAY_GROUPS_FILE.
 */
export type Membership = (user: string, group: string) => Promise<boolean>;

export async function fileMembership(file: string | undefined): Promise<Membership> {
  if (!file) return async () => false;
  let parsed: unknown;
  try {
    parsed = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `PATCHBAY_GROUPS_FILE ${file}: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `PATCHBAY_GROUPS_FILE ${file}: expected a map of group: [user, …]`);
  }
  const groups = new Map(
    Object.entries(parsed).map(([group, users]) => [group, new Set(Array.isArray(users) ? users.map(String) : [])] as const),
  );
  return async (user, group) => groups.get(group)?.has(user) ?? false;
}
