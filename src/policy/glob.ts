/**
 * Globs over `namespace.flowId` for the policy file: `*` matches any run of characters (dots
 * included, so `company.ops.*` covers sub-namespaces too), `?` one character; everything else
 * is literal. Compiled once per pattern.
 */
const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  let compiled = cache.get(pattern);
  if (!compiled) {
    const body = [...pattern]
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    compiled = new RegExp(`^${body}$`, 's');
    cache.set(pattern, compiled);
  }
  return compiled;
}

export function matchesGlob(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}
