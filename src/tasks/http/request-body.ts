import { FormData } from 'undici';

/** What the HTTP task sends, as Kestra's AbstractHttp decides it. */
export interface EncodedBody {
  body?: string | Uint8Array | FormData;
  /** The Content-Type Kestra would send; undici sets the multipart one (with its boundary). */
  contentType?: string;
}

export interface BodyProps {
  body?: string | Record<string, unknown> | unknown[];
  formData?: Record<string, unknown>;
  contentType: string;
}

const CHARSET_LABEL: Partial<Record<BufferEncoding, string>> = { utf8: 'UTF-8', ascii: 'US-ASCII', latin1: 'ISO-8859-1', utf16le: 'UTF-16LE' };

/**
 * `formData` wins over `body`: multipart when contentType is multipart/form-data, URL-encoded
 * otherwise. A `body` is sent as text in `contentType` with the charset appended, as Apache's
 * ContentType does. Without either, Kestra still announces `contentType` in a header.
 */
export function encodeBody(props: BodyProps, charset: BufferEncoding): EncodedBody {
  if (props.formData !== undefined && Object.keys(props.formData).length > 0) {
    if (props.contentType === 'multipart/form-data') return { body: multipart(props.formData) };
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(props.formData)) form.append(name, fieldText(value));
    return { body: Buffer.from(form.toString(), charset), contentType: `application/x-www-form-urlencoded; charset=${label(charset)}` };
  }
  if (props.body !== undefined) {
    const text = typeof props.body === 'string' ? props.body : JSON.stringify(props.body);
    const contentType = props.contentType.includes(';') ? props.contentType : `${props.contentType}; charset=${label(charset)}`;
    return { body: Buffer.from(text, charset), contentType };
  }
  return { contentType: props.contentType };
}

/**
 * Kestra reads files for multipart parts from its internal storage; Patchbay has none, so a
 * `{ name, content }` part is sent as a file named `name` holding the rendered `content`.
 */
function multipart(fields: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (isFilePart(value)) form.append(name, new Blob([value.content]), value.name);
    else form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return form;
}

function isFilePart(value: unknown): value is { name: string; content: string } {
  if (typeof value !== 'object' || value === null) return false;
  const part = value as Record<string, unknown>;
  return typeof part.name === 'string' && typeof part.content === 'string';
}

const fieldText = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);

const label = (charset: BufferEncoding): string => CHARSET_LABEL[charset] ?? charset;
