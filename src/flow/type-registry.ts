import { suggestTypeNames } from './suggest.js';

/**
 * A static registry of definitions keyed by type name (canonical and aliases), shared by task
 * and trigger types so lookups, listings and "did you mean" behave the same for both.
 */
export class TypeRegistry<D extends { types: readonly [string, ...string[]] }> {
  private readonly byName = new Map<string, D>();

  constructor(
    kind: string,
    private readonly definitions: readonly D[],
  ) {
    for (const definition of definitions) {
      for (const name of definition.types) {
        // Two definitions claiming one name would make lookups depend on registration order.
        if (this.byName.has(name)) throw new Error(`${kind} type ${name} is registered twice`);
        this.byName.set(name, definition);
      }
    }
  }

  /** The definition registered under `type` (canonical name or alias), if any. */
  lookup(type: string): D | undefined {
    return this.byName.get(type);
  }

  /** Each definition once, in registration order. */
  all(): readonly D[] {
    return this.definitions;
  }

  /** Every accepted type name, aliases included. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Canonical names of the up to `n` known types closest to an unknown one. */
  suggest(unknown: string, n = 3): string[] {
    return suggestTypeNames(unknown, this.definitions.map((definition) => definition.types), n);
  }
}
