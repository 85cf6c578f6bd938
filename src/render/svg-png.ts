/**
 * SVG → PNG without a browser: resvg (Rust, prebuilt binary) with the system fonts, for every
 * picture Patchbay posts (asset lineage graphs, report charts). Text is drawn in DejaVu Sans,
 * which the container images ship: the SVG builders (and Graphviz) measure with its metrics.
 */
export const DRAWING_FONT = 'DejaVu Sans';

export interface PngOptions {
  /** Scale of the SVG's own size: 2 keeps text crisp in Slack's preview on dense screens. */
  zoom?: number;
}

export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Buffer> {
  // Loaded on first use: most processes never draw a picture, and the binding is large.
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: options.zoom ?? 2 },
    font: { loadSystemFonts: true, defaultFontFamily: DRAWING_FONT, sansSerifFamily: DRAWING_FONT },
  });
  return resvg.render().asPng();
}

/** The PNG file signature: every PNG starts with these eight bytes. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (bytes 16–23), or undefined when it is no PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
