/**
 * The external upload flow behind WebClient.filesUploadV2 (web-api 8): files.getUploadURLExternal
 * hands out an upload URL, the client POSTs the bytes there as multipart (field `body`), then
 * files.completeUploadExternal shares the files, optionally as a message in a channel/thread.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Args, type MethodResult, fail, isRecord, str } from './defaults.js';
import { type MethodHandler, readBody } from './api.js';
import type { MessageStore } from './messages.js';
import type { Directory } from './users.js';

export interface StoredFile {
  id: string;
  filename: string;
  length: number;
  title?: string;
  alt_text?: string;
  /** The uploaded bytes (the multipart file part when the upload was multipart). */
  content?: Buffer;
  completed: boolean;
  channel?: string;
  thread_ts?: string;
  initial_comment?: string;
  /** ts of the message that shared the file, if any. */
  message_ts?: string;
}

export class FileStore {
  readonly all = new Map<string, StoredFile>();
  private seq = 0;

  constructor(private readonly baseUrl: () => string, private readonly store: MessageStore, private readonly directory: Directory) {}

  methods(): Record<string, MethodHandler> {
    return {
      'files.getUploadURLExternal': (args) => {
        const filename = str(args, 'filename');
        const length = Number(str(args, 'length'));
        if (!filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
        this.seq += 1;
        const id = `F${String(this.seq).padStart(10, '0')}`;
        const alt = str(args, 'alt_text');
        this.all.set(id, { id, filename, length, completed: false, ...(alt ? { alt_text: alt } : {}) });
        return { upload_url: `${this.baseUrl()}/upload/${id}`, file_id: id };
      },
      'files.completeUploadExternal': (args) => this.complete(args),
    };
  }

  /** The upload URL: Slack answers plain text "OK - <bytes>" with status 200. */
  async handleUpload(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = await readBody(req);
    const file = this.all.get(id);
    if (req.method !== 'POST' || !file || file.completed) {
      res.writeHead(file ? 405 : 404, { 'Content-Type': 'text/plain' }).end('invalid upload');
      return;
    }
    file.content = await fileBytes(req.headers['content-type'], raw);
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`OK - ${file.content.length}`);
  }

  private complete(args: Args): MethodResult {
    const entries = Array.isArray(args.files) ? args.files.filter(isRecord) : [];
    if (entries.length === 0) return fail('invalid_arguments');
    const files: StoredFile[] = [];
    for (const entry of entries) {
      const file = this.all.get(typeof entry.id === 'string' ? entry.id : '');
      if (!file || !file.content) return fail('file_not_found');
      if (typeof entry.title === 'string') file.title = entry.title;
      files.push(file);
    }
    const channelArg = str(args, 'channel_id') ?? str(args, 'channels');
    const channel = channelArg ? this.directory.resolveChannel(channelArg) : undefined;
    if (channelArg && !channel) return fail('channel_not_found');
    const threadTs = str(args, 'thread_ts');
    const comment = str(args, 'initial_comment');
    let messageTs: string | undefined;
    if (channel) {
      const m = this.store.add({
        channel,
        ...(comment ? { text: comment } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        files: files.map((f) => this.wire(f)),
        via: 'files',
      });
      messageTs = m.ts;
    }
    for (const file of files) {
      Object.assign(file, { completed: true, ...(channel ? { channel } : {}), ...(threadTs ? { thread_ts: threadTs } : {}) });
      if (comment) file.initial_comment = comment;
      if (messageTs) file.message_ts = messageTs;
    }
    return { files: files.map((f) => this.wire(f)) };
  }

  wire(file: StoredFile): Args {
    return { id: file.id, name: file.filename, title: file.title ?? file.filename, size: file.content?.length ?? file.length };
  }
}

/** web-api sends a FormData with one Blob part; undici's Response can parse that for us. */
async function fileBytes(contentType: string | undefined, raw: Buffer): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  for (const [, value] of form) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return raw;
}
