import { createHash } from 'node:crypto';
import type { Graphviz } from '@hpcc-js/wasm-graphviz';
import { DRAWING_FONT, svgToPng } from '../render/svg-png.js';
import type { RelatedAsset } from './types.js';

/**
 * The lineage picture of `graph ID`: DOT built here (pure, unit-tested), laid out by Graphviz
 * compiled to WebAssembly and rasterised by resvg, so no browser and no system Graphviz is
 * needed. Both engines load on first use only: most processes never draw a graph.
 */
export interface GraphNode extends Pick<RelatedAsset, 'id' | 'type' | 'displayName' | 'deleted'> {
  root?: boolean;
}

export interface GraphEdge {
  up: string;
  down: string;
}

const PALETTE = ['#dbeafe', '#dcfce7', '#fef9c3', '#fde2e4', '#ede9fe', '#ffedd5', '#cffafe', '#f3e8ff', '#e0f2fe', '#ecfccb'];
const FONT = DRAWING_FONT;

/** DOT string literal: backslashes and quotes escaped, line breaks as DOT's centred `\n`. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** `io.kestra.plugin.ee.assets.VM.Certificate` reads better as `VM.Certificate` in a box. */
export function shortType(type: string): string {
  const marker = '.assets.';
  const at = type.lastIndexOf(marker);
  if (at >= 0) return type.slice(at + marker.length);
  return type.length > 32 ? (type.split('.').pop() ?? type) : type;
}

/** Same type, same colour, in every picture. */
function colour(type: string): string {
  const index = createHash('sha1').update(type).digest()[0] ?? 0;
  return PALETTE[index % PALETTE.length] as string;
}

export function buildDot(nodes: readonly GraphNode[], edges: readonly GraphEdge[], note?: string): string {
  const lines = [
    'digraph lineage {',
    `  graph [rankdir=LR, fontname=${dotString(FONT)}, fontsize=10, bgcolor="white", pad=0.3, nodesep=0.3, ranksep=0.7${note ? `, label=${dotString(note)}, labelloc=b` : ''}];`,
    `  node [shape=box, style="rounded,filled", fontname=${dotString(FONT)}, fontsize=11, color="#5f6b7a", penwidth=1];`,
    '  edge [color="#8a94a3", arrowsize=0.7];',
  ];
  for (const node of nodes) {
    const title = node.displayName && node.displayName !== node.id ? `${node.displayName}\n${node.id}` : node.id;
    const label = `${title}\n${shortType(node.type)}${node.deleted ? ' (deleted)' : ''}`;
    const style = [`fillcolor="${node.deleted ? '#f1f1f1' : colour(node.type)}"`];
    if (node.root) style.push('penwidth=2.5', 'color="#1f2937"');
    if (node.deleted) style.push('style="rounded,filled,dashed"', 'fontcolor="#6b7280"');
    lines.push(`  ${dotString(node.id)} [label=${dotString(label)}, ${style.join(', ')}];`);
  }
  for (const edge of edges) lines.push(`  ${dotString(edge.up)} -> ${dotString(edge.down)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

let graphviz: Promise<Graphviz> | undefined;

async function loadGraphviz(): Promise<Graphviz> {
  graphviz ??= import('@hpcc-js/wasm-graphviz').then(({ Graphviz: wasm }) => wasm.load());
  return graphviz;
}

async function dotToSvg(dot: string): Promise<string> {
  return (await loadGraphviz()).dot(dot, 'svg');
}

/** PNG of a DOT graph at 1.5× (legible in Slack's preview), white background. */
export async function dotToPng(dot: string): Promise<Buffer> {
  // Graphviz measured the labels with the drawing font's metrics, so the boxes fit the text.
  return svgToPng(await dotToSvg(dot), { zoom: 1.5 });
}
