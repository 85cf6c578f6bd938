import { assetsFamily } from './assets-commands/index.js';
import { flowFamily } from './flow-commands/index.js';
import { CommandRegistry, type RegistryOptions } from './registry.js';
import type { CommandFamily } from './types.js';

/**
 * The command families every surface answers. Adding one (`/assets`) is one line here, or
 * `registry.register(family)` on the registry a surface built.
 */
export const chatFamilies = (): CommandFamily[] => [flowFamily, assetsFamily];

export function createChatRegistry(options: RegistryOptions & { extra?: CommandFamily[] } = {}): CommandRegistry {
  return new CommandRegistry([...chatFamilies(), ...(options.extra ?? [])], options);
}
