import nunjucks from 'nunjucks';
import { type RenderScope, bindArgs } from './define.js';
import { allFilters } from './filters/index.js';
import { allFunctions } from './functions.js';
import type { NunjucksContext } from './nunjucks-internals.js';
import { SCOPE_KEY, allowCall, enterSoft, forbidden, installSandbox, leaveSoft, recording } from './sandbox.js';
import { installPebbleSyntax } from './syntax.js';
import { exprTests } from './tests.js';

/**
 * The one nunjucks environment of Patchbay: Pebble syntax, Kestra's filters, functions and
 * tests, the sandboxed runtime, no loader (so no `include`/`import`/`extends` of files), no
 * HTML autoescaping (flows render shell commands and JSON, not pages).
 */
interface CaptureSlot {
  armed: boolean;
  value: unknown;
}

/** Set by the typed renderer around one synchronous render (see render.ts). */
export const capture: CaptureSlot = { armed: false, value: undefined };

function scopeOf(context: NunjucksContext): RenderScope {
  return context.ctx[SCOPE_KEY] as RenderScope;
}

/** How a value prints inside text: Kestra prints maps and lists as JSON, null as nothing. */
export function printValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'function') throw forbidden('a function cannot be printed');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') return typeof needle === 'string' && haystack.includes(needle);
  if (Array.isArray(haystack)) {
    const has = (item: unknown) => haystack.some((element) => JSON.stringify(element) === JSON.stringify(item));
    return Array.isArray(needle) ? needle.every(has) : has(needle);
  }
  if (haystack && typeof haystack === 'object') {
    const keys = Array.isArray(needle) ? needle : [needle];
    return keys.every((key) => Object.hasOwn(haystack, String(key)));
  }
  return false;
}

/** Helpers the rewritten syntax tree calls (syntax.ts); not meant for flow authors. */
const internalGlobals: Record<string, (...args: unknown[]) => unknown> = {
  __pb_out: (value) => {
    if (typeof value === 'function') throw forbidden('a function cannot be printed or returned');
    if (capture.armed) {
      capture.value = value;
      return '';
    }
    return printValue(value);
  },
  __pb_soft: (_on, value) => value,
  __pb_soft_on: enterSoft,
  __pb_soft_off: leaveSoft,
  __pb_present: (value) => value !== undefined && value !== null,
  __pb_defined: (value) => value !== undefined,
  __pb_contains: contains,
  __pb_iter: (value) => {
    if (value === undefined || value === null) return [];
    if (typeof value === 'object' && !Array.isArray(value)) {
      return Object.entries(value).map(([key, entry]) => ({ key, value: entry }));
    }
    return value;
  },
};

function createEnvironment(): nunjucks.Environment {
  installSandbox();
  installPebbleSyntax();
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
  const mutable = env as unknown as { filters: Record<string, unknown>; tests: Record<string, unknown>; globals: Record<string, unknown> };
  // Start from nothing: only Kestra's vocabulary, so a nunjucks-only filter cannot sneak in.
  mutable.filters = {};
  mutable.tests = {};
  mutable.globals = {};

  for (const [name, fn] of Object.entries(internalGlobals)) env.addGlobal(name, allowCall(recording(fn)));
  // addTest exists at run time but is missing from @types/nunjucks.
  const withTests = env as unknown as { addTest(name: string, test: (value: unknown) => boolean): void };
  for (const [name, test] of Object.entries(exprTests)) withTests.addTest(name, test);
  for (const filter of allFilters) {
    env.addFilter(
      filter.name,
      recording(function (this: unknown, input: unknown, ...rest: unknown[]) {
        return filter.apply(input, bindArgs('filter', filter.name, filter.params, rest), scopeOf(this as NunjucksContext));
      }),
    );
  }
  for (const fn of allFunctions) {
    env.addGlobal(
      fn.name,
      allowCall(
        recording(function (this: unknown, ...rest: unknown[]) {
          return fn.call(bindArgs('function', fn.name, fn.params, rest), scopeOf(this as NunjucksContext));
        }),
      ),
    );
  }
  return env;
}

export const environment = createEnvironment();

export const filterNames = (): string[] => allFilters.map((filter) => filter.name).sort();
export const functionNames = (): string[] => allFunctions.map((fn) => fn.name).sort();
