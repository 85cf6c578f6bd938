import type { z } from 'zod';

/**
 * Finds the property names an object schema accepts at a path, so an unknown key can be
 * answered with "did you mean …". Best effort: unions are searched in order and anything
 * unexpected yields no suggestion rather than a wrong one.
 */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
  valueType?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return def.innerType ? unwrap(def.innerType) : [];
    case 'pipe':
      return def.in ? unwrap(def.in) : [];
    case 'lazy':
      return def.getter ? unwrap(def.getter()) : [];
    case 'union':
      return (def.options ?? []).flatMap(unwrap);
    default:
      return [schema];
  }
}

function step(schema: z.ZodType, segment: PropertyKey): z.ZodType[] {
  return unwrap(schema).flatMap((candidate) => {
    const def = defOf(candidate);
    if (def.type === 'object' && def.shape && typeof segment === 'string' && def.shape[segment]) return [def.shape[segment]];
    if (def.type === 'array' && def.element && typeof segment === 'number') return [def.element];
    if (def.type === 'record' && def.valueType) return [def.valueType];
    return [];
  });
}

export function knownKeysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType[] = [root];
  for (const segment of path) current = current.flatMap((schema) => step(schema, segment));
  const keys = current.flatMap(unwrap).flatMap((schema) => {
    const def = defOf(schema);
    return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
  });
  return [...new Set(keys)];
}
