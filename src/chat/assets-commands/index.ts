import { defineFamily } from '../family.js';
import { graphCommand } from './graph.js';
import { impactCommand } from './impact.js';
import { listCommand } from './list.js';
import { showCommand } from './show.js';

/** `/assets …`: the asset inventory from chat, one file per sub-command, in `/assets help` order. */
export const assetsFamily = defineFamily({
  name: 'assets',
  subcommands: [showCommand, listCommand, impactCommand, graphCommand],
});

export { graphFilename } from './graph.js';
export { PAGE_SIZE, listCommandText, parseListArgs } from './list.js';
