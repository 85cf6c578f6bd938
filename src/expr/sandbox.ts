import { ErrorCode, PatchbayError } from '../errors.js';
import { type NunjucksContext, internals, isPatchbayActive } from './nunjucks-internals.js';

/**
 * The sandbox. nunjucks is not one: its runtime will read any property (`constructor`,
 * `__proto__`) and call any function it finds on a value, which is how the known template
 * escapes (`range.constructor("return process")()`) work. Templates come from flow authors
 * only, but a flow file is still not a licence to run JavaScript in the bot, so:
 * - only own properties of plain data are readable; `constructor`, `__proto__`, `prototype`
 *   and friends are refused by name;
 * - only the functions Patchbay registers may be called; a function found on a value is
 *   refused, as is printing one;
 * - missing variables and keys are errors ("strict variables", as in Kestra) except inside
 *   soft sections the parser marks (`??`, `| default`, `is defined`…).
 */
export const FORBIDDEN_KEYS = new Set([
  'constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__',
  '__lookupGetter__', '__lookupSetter__', 'caller', 'callee', 'arguments',
]);

/** Name of the context entry that carries the RenderScope; unreachable from templates. */
export const SCOPE_KEY = '__pb_scope';

const callable = new WeakSet<object>();
let softDepth = 0;

export function allowCall<T extends object>(fn: T): T {
  callable.add(fn);
  return fn;
}

/** Soft sections are strictly nested within one synchronous render; reset before each. */
export function resetSoftMode(): void {
  softDepth = 0;
}
export const enterSoft = (): string => {
  softDepth += 1;
  return '';
};
export const leaveSoft = (): string => {
  softDepth = Math.max(0, softDepth - 1);
  return '';
};

export function forbidden(message: string): PatchbayError {
  return new PatchbayError(ErrorCode.EXPRESSION_FORBIDDEN, message);
}

function missing(message: string): PatchbayError {
  return new PatchbayError(ErrorCode.EXPRESSION_EVAL, message, { details: { undefinedVariable: true } });
}

function describeKeys(obj: object): string {
  const keys = Object.keys(obj);
  if (keys.length === 0) return 'it has no keys';
  const shown = keys.slice(0, 12).join(', ');
  return `available: ${shown}${keys.length > 12 ? `, … (${keys.length} keys)` : ''}`;
}

function memberLookup(obj: unknown, key: unknown): unknown {
  const name = String(key);
  if (FORBIDDEN_KEYS.has(name)) throw forbidden(`access to \`${name}\` is not allowed in expressions`);
  if (obj === undefined || obj === null) {
    if (softDepth > 0) return undefined;
    throw missing(`cannot read \`${name}\` of ${obj === null ? 'null' : 'an undefined value'}`);
  }
  if (typeof obj === 'function') throw forbidden(`functions cannot be read in expressions (\`${name}\`)`);
  if (!Object.hasOwn(Object(obj), name) && typeof (obj as Record<string, unknown>)[name] === 'function') {
    throw forbidden(`\`${name}\` is a method of the value; calling methods on values is not allowed (use a filter)`);
  }
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (name === 'length') return obj.length;
    const index = Number(name);
    if (Number.isInteger(index)) {
      const at = index < 0 ? obj.length + index : index;
      if (at >= 0 && at < obj.length) return obj[at];
      if (softDepth > 0) return undefined;
      throw missing(`index ${name} is out of range (length ${obj.length})`);
    }
  } else if (typeof obj === 'object' && Object.hasOwn(obj, name)) {
    const value = (obj as Record<string, unknown>)[name];
    if (typeof value === 'function') throw forbidden(`functions cannot be read in expressions (\`${name}\`)`);
    return value;
  }
  if (softDepth > 0) return undefined;
  const keys = typeof obj === 'object' && !Array.isArray(obj) ? `; ${describeKeys(obj)}` : '';
  throw missing(`\`${name}\` is not defined${keys}`);
}

function contextOrFrameLookup(context: NunjucksContext, frame: { lookup(name: string): unknown }, name: string): unknown {
  if (FORBIDDEN_KEYS.has(name) || name === SCOPE_KEY) throw forbidden(`access to \`${name}\` is not allowed in expressions`);
  const local = frame.lookup(name);
  // Frames are plain objects: an inherited `toString` must not pass for a template variable.
  if (local !== undefined && (typeof local !== 'function' || callable.has(local))) return local;
  if (Object.hasOwn(context.ctx, name)) return context.ctx[name];
  if (Object.hasOwn(context.env.globals, name)) return context.env.globals[name];
  if (softDepth > 0) return undefined;
  throw missing(`variable \`${name}\` is not defined`);
}

function callWrap(fn: unknown, name: string, context: NunjucksContext, args: unknown[]): unknown {
  if (typeof fn !== 'function' || !callable.has(fn)) {
    throw forbidden(`\`${name}\` is not a function Patchbay provides; only built-in functions can be called`);
  }
  return (fn as (...a: unknown[]) => unknown).apply(context, args);
}

/**
 * nunjucks wraps what a helper throws in a TemplateError that keeps only the message, so the
 * error's code (SECRET_MISSING, EXPRESSION_FORBIDDEN…) would be lost. Every helper and filter
 * records what it threw; the renderer reads it back (renders are synchronous).
 */
let lastRaised: unknown;

export function recording<A extends unknown[], R>(fn: (this: unknown, ...args: A) => R): (this: unknown, ...args: A) => R {
  return function (this: unknown, ...args: A): R {
    try {
      return fn.apply(this, args);
    } catch (error) {
      lastRaised = error;
      throw error;
    }
  };
}

/** The error a helper threw during the current render, cleared as it is read. */
export function takeLastRaised(): unknown {
  const error = lastRaised;
  lastRaised = undefined;
  return error;
}

let installed = false;

/** Replaces the nunjucks runtime helpers that compiled templates call. Idempotent. */
export function installSandbox(): void {
  if (installed) return;
  installed = true;
  const runtime = internals.runtime as unknown as Record<string, (...args: unknown[]) => unknown>;
  const sandboxed: Record<string, (...args: unknown[]) => unknown> = {
    memberLookup: recording(memberLookup as (...args: unknown[]) => unknown),
    contextOrFrameLookup: recording(contextOrFrameLookup as (...args: unknown[]) => unknown),
    callWrap: recording(callWrap as (...args: unknown[]) => unknown),
  };
  for (const [name, ours] of Object.entries(sandboxed)) {
    const stock = runtime[name] as (...args: unknown[]) => unknown;
    runtime[name] = function (this: unknown, ...args: unknown[]) {
      return isPatchbayActive() ? ours.apply(this, args) : stock.apply(this, args);
    };
  }
}
