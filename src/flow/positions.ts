import { type Document, LineCounter, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';

/**
 * Maps a path inside the parsed flow (as zod reports it) back to a line and column of the
 * YAML source, so every problem reads `FILE:LINE:COL: message` and an editor can jump there.
 * A path that does not exist in the source (a missing property, or a value injected by
 * pluginDefaults) points at the closest node that does.
 */
export interface SourcePosition {
  line: number;
  col: number;
}

export type YamlPath = readonly PropertyKey[];

export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    /** Offset of this document inside the file (multi-document files). */
    private readonly fallbackOffset = 0,
  ) {}

  /** Position of the value at `path`, or of its key when `atKey` (unknown properties). */
  locate(path: YamlPath, atKey = false): SourcePosition {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node) ?? this.fallbackOffset;
    for (let index = 0; index < path.length; index += 1) {
      const segment = path[index];
      const last = index === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && keyOf(item.key) === String(segment));
        if (!pair) break;
        const keyStart = rangeStart(pair.key);
        if ((last && atKey) || pair.value === null) {
          offset = keyStart ?? offset;
          if (last && atKey) break;
        }
        node = pair.value;
        offset = rangeStart(node) ?? keyStart ?? offset;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment];
        offset = rangeStart(node) ?? offset;
      } else {
        break;
      }
    }
    return this.position(offset);
  }

  /** Position of a raw offset in the file. */
  position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  /** The YAML node at `path`, when there is one (used to find template strings). */
  nodeAt(path: YamlPath): Node | undefined {
    const found = this.doc.getIn(path as unknown[], true);
    return found && typeof found === 'object' ? (found as Node) : undefined;
  }
}

function keyOf(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

export { LineCounter };
