import { z } from 'zod';
import { closest } from './suggest.js';

/**
 * Schema of a node chosen by its `type` (a task, a trigger). Validation dispatches on
 * `type` by hand instead of through a zod union so an unknown type or a misspelt property
 * gets a precise message with suggestions rather than "no union member matched".
 */
type Definition = { types: readonly [string, ...string[]]; check?(node: TypedNode): { path: (string | number)[]; message: string }[] };

export interface TypedNodeOptions<D extends Definition> {
  /** "task", "trigger": used in messages. */
  kind: string;
  lookup(type: string): D | undefined;
  suggest(type: string): string[];
  /** The strict load-time schema of one definition. */
  schemaFor(definition: D): z.ZodObject;
}

export interface TypedNode {
  id: string;
  type: string;
  [property: string]: unknown;
}

export function typedNodeSchema<D extends Definition>(options: TypedNodeOptions<D>): z.ZodType<TypedNode> {
  return z
    .looseObject({
      id: z.string({ message: `every ${options.kind} needs an \`id\`` }),
      type: z.string({ message: `every ${options.kind} needs a \`type\`` }),
    })
    .superRefine((node, ctx) => {
      const definition = options.lookup(node.type);
      if (!definition) {
        const suggestions = options.suggest(node.type);
        const hint = suggestions.length ? `; did you mean ${suggestions.map((name) => `\`${name}\``).join(', ')}?` : '';
        ctx.addIssue({ code: 'custom', path: ['type'], message: `unknown ${options.kind} type \`${node.type}\`${hint}` });
        return;
      }
      const schema = options.schemaFor(definition);
      const result = schema.safeParse(node);
      if (result.success) {
        for (const problem of definition.check?.(node) ?? []) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
        return;
      }
      for (const issue of result.error.issues) {
        if (issue.code !== 'unrecognized_keys') {
          ctx.addIssue({ ...issue } as never);
          continue;
        }
        const known = Object.keys(schema.shape);
        for (const key of issue.keys) {
          const hint = closest(key, known);
          ctx.addIssue({
            code: 'custom',
            path: [...issue.path, key],
            message: `unknown property \`${key}\` for ${definition.types[0]}${hint ? `; did you mean \`${hint}\`?` : ''}`,
            params: { atKey: true },
          });
        }
      }
    }) as unknown as z.ZodType<TypedNode>;
}
