import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseFlowSource } from '../src/flow/loader.js';
import { measure, printRatio, printTable } from './measure.js';

/** Flow loading: full validation with positions against a bare YAML parse of the same file. */
export function benchFlows(): void {
  const file = new URL('../flows/hello-patchbay.yaml', import.meta.url);
  const text = readFileSync(file, 'utf8');
  const full = measure('parse + validate + template checks', () => parseFlowSource(text, 'hello-patchbay.yaml'), 1);
  const bare = measure('yaml.parse only', () => parse(text), 1);
  printTable('Flow loading (flows/hello-patchbay.yaml)', [full, bare]);
  printRatio('validation / bare parse', full, bare);
}
