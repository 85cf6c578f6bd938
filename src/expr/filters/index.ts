import type { ExprFilter } from '../define.js';
import { collectionFilters } from './collections.js';
import { dateFilters } from './dates.js';
import { encodingFilters } from './encoding.js';
import { jqFilters } from './jq.js';
import { numberFilters } from './numbers.js';
import { regexStringFilters } from './strings-regex.js';
import { stringFilters } from './strings.js';

/** Every Pebble/Kestra filter Patchbay implements; names are unique. */
export const allFilters: ExprFilter[] = [
  ...stringFilters,
  ...regexStringFilters,
  ...collectionFilters,
  ...numberFilters,
  ...encodingFilters,
  ...dateFilters,
  ...jqFilters,
];
