import { distance } from 'fastest-levenshtein';

/**
 * "Did you mean" helpers for unknown property names and unknown task or trigger types.
 * Comparisons ignore case: `loglevel` for `logLevel` is the same mistake as a typo.
 */

/** A distance this large relative to the longer word means the words are unrelated. */
const MAX_RATIO = 0.4;

function ratio(a: string, b: string): number {
  const d = distance(a.toLowerCase(), b.toLowerCase());
  return d / Math.max(a.length, b.length, 1);
}

/** The closest candidate to `word`, or undefined when none is close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestRatio = Infinity;
  for (const candidate of candidates) {
    const r = ratio(word, candidate);
    if (r < bestRatio) {
      best = candidate;
      bestRatio = r;
    }
  }
  return bestRatio <= MAX_RATIO ? best : undefined;
}

const lastSegment = (name: string): string => name.slice(name.lastIndexOf('.') + 1);

/**
 * Ranks type-name groups (a definition's canonical name first, then its aliases) and returns
 * the canonical names of the closest `n`.
 *
 * The class name (last segment) decides, so `Log` (a bare class name), `io.kestra.core.log.Log`
 * (a wrong package) and `…log.Logg` (a typo) all find `io.kestra.plugin.core.log.Log`. Whole
 * names only break ties (shell vs PowerShell `Commands`): compared whole, names that share the
 * long `io.kestra.plugin.core.` prefix all look alike, which would suggest unrelated siblings.
 */
export function suggestTypeNames(
  unknown: string,
  groups: readonly (readonly [string, ...string[]])[],
  n = 3,
): string[] {
  const wanted = lastSegment(unknown);
  const scored = groups.map((names) => {
    let score = Infinity;
    let whole = Infinity;
    for (const name of names) {
      score = Math.min(score, ratio(wanted, lastSegment(name)));
      whole = Math.min(whole, distance(unknown.toLowerCase(), name.toLowerCase()));
    }
    return { name: names[0], score, whole };
  });
  return scored
    .filter((entry) => entry.score <= MAX_RATIO)
    .sort((a, b) => a.score - b.score || a.whole - b.whole || a.name.localeCompare(b.name))
    .slice(0, n)
    .map((entry) => entry.name);
}
