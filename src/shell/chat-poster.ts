import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChatPoster } from '../reports/ports.js';
import { blocksToText } from '../slack/blocks/blocks-to-text.js';

/**
 * A file for the person at the terminal: `.patchbay/graphs/` of the current directory, or a
 * temp folder when that is read-only. Returns where it went.
 */
export async function saveShellFile(filename: string, content: Uint8Array): Promise<string> {
  const name = path.basename(filename).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '') || 'file';
  let failure: unknown;
  for (const dir of [path.join(process.cwd(), '.patchbay', 'graphs'), path.join(tmpdir(), 'patchbay-graphs')]) {
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, name), content);
      return path.join(dir, name);
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

/**
 * Where tasks post when the terminal is the chat (no Slack token): a flow's "tell on-call in
 * #ops-oncall" shows up at the prompt, naming the channel it was meant for, and a report's
 * chart is saved next to the others.
 */
export function shellChatPoster(print: (text: string) => void): ChatPoster {
  let sequence = 0;
  return {
    async postMessage({ channel, text, blocks }) {
      sequence += 1;
      print(`📣 ${channel}: ${blocks.length > 0 ? blocksToText(blocks) : text}`);
      return { channel, ts: `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}` };
    },
    async uploadFile({ channel, filename, title, data }) {
      print(`📎 ${channel}: ${title}: ${await saveShellFile(filename, data)}`);
    },
  };
}
