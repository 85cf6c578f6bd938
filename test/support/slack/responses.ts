/**
 * response_url endpoints. Bolt 5's respond() POSTs JSON here with fetch and throws RespondError on
 * anything but 2xx, so the emulator answers the way Slack does: 200 while the URL is valid, 404
 * after five uses. The effect (new message, ephemeral, replacement, deletion) lands in the store.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { type Args, type Block, Recorder, isBlockArray, isRecord } from './defaults.js';
import { readBody, sendJson } from './api.js';
import type { MessageStore } from './messages.js';

export interface ResponseUrlOptions {
  /** The message the interaction came from; replace_original / delete_original act on it. */
  messageTs?: string;
  /** Thread to post in_channel responses into. */
  threadTs?: string;
}

interface IssuedUrl extends ResponseUrlOptions {
  id: string;
  channel: string;
  user: string;
  uses: number;
}

export type ResponseEffect = 'in_channel' | 'ephemeral' | 'replaced' | 'deleted' | 'rejected';

export interface RecordedResponse {
  id: string;
  channel: string;
  user: string;
  body: Args;
  effect: ResponseEffect;
  status: number;
  /** ts of the message created or changed, when there is one. */
  ts?: string;
  time: number;
}

/** Slack allows five responses per response_url. */
const MAX_USES = 5;

export class ResponseUrls {
  readonly log = new Recorder<RecordedResponse>();
  private readonly issued = new Map<string, IssuedUrl>();

  constructor(private readonly baseUrl: () => string, private readonly store: MessageStore) {}

  issue(channel: string, user: string, options: ResponseUrlOptions = {}): string {
    const id = randomUUID();
    this.issued.set(id, { id, channel, user, uses: 0, ...options });
    return `${this.baseUrl()}/response/${id}`;
  }

  async handle(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    const url = this.issued.get(id);
    const body = parseBody(raw);
    const reject = (status: number, error: string): void => {
      if (url) this.log.push({ id, channel: url.channel, user: url.user, body: body ?? {}, effect: 'rejected', status, time: Date.now() });
      sendJson(res, status, { ok: false, error });
    };
    if (req.method !== 'POST') return reject(405, 'method_not_allowed');
    if (!url) return reject(404, 'invalid_url');
    if (url.uses >= MAX_USES) return reject(404, 'used_url');
    if (!body) return reject(400, 'invalid_payload');
    if (body.blocks !== undefined && !isBlockArray(body.blocks, 50)) return reject(400, 'invalid_blocks');
    url.uses += 1;
    const { effect, ts } = this.apply(url, body);
    this.log.push({ id, channel: url.channel, user: url.user, body, effect, status: 200, ...(ts ? { ts } : {}), time: Date.now() });
    sendJson(res, 200, { ok: true });
  }

  private apply(url: IssuedUrl, body: Args): { effect: ResponseEffect; ts?: string } {
    const original = url.messageTs ? this.store.find(url.channel, url.messageTs) : undefined;
    const content = {
      ...(typeof body.text === 'string' ? { text: body.text } : {}),
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks as Block[] } : {}),
    };
    if (body.delete_original === true && original) {
      original.deleted = true;
      return { effect: 'deleted', ts: original.ts };
    }
    if (body.replace_original === true && original) {
      this.store.replace(original, content);
      return { effect: 'replaced', ts: original.ts };
    }
    if (body.response_type === 'in_channel') {
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : url.threadTs;
      const m = this.store.add({ channel: url.channel, ...content, ...(threadTs ? { thread_ts: threadTs } : {}), via: 'response_url' });
      return { effect: 'in_channel', ts: m.ts };
    }
    const e = this.store.addEphemeral({ channel: url.channel, user: url.user, ...content, via: 'response_url' });
    return { effect: 'ephemeral', ts: e.ts };
  }
}

function parseBody(raw: string): Args | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
