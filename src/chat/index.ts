export * from './types.js';
export { type CommandLine, CommandLineError, type Token, parseCommandLine, quoteWord, restAfter, tokenize } from './command-line.js';
export { type Subcommand, type SubcommandArgs, defineFamily, didYouMean } from './family.js';
export { CommandRegistry, type RegistryOptions, familyName } from './registry.js';
export { chatFamilies, createChatRegistry } from './families.js';
export { errorReply, isUserFacing, notice, privateReply } from './replies.js';
export { FLOW_PICK_ACTION_ID, expressionOptions, flowFamily } from './flow-commands/index.js';
