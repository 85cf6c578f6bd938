import type { z } from 'zod';
import type { PropKit } from './kit.js';

/**
 * The value a task's `run` receives for its own properties: rendered, coerced and checked by
 * the run-mode schema, defaults applied. Derived from the same declaration as the schema, so
 * a property renamed in one place cannot be read under its old name in `run`.
 */
export type RunProps<F extends (kit: PropKit) => z.ZodRawShape> = z.output<z.ZodObject<ReturnType<F>>>;
