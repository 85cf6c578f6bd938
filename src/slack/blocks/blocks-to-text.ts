/**
 * Plain terminal text from Block Kit, so the local shell chat shows the very messages Slack
 * would. Slack's own tokens become readable (`<!date^…|fallback>` → fallback, links → "label
 * (url)"), `*bold*` and `<@U1>` stay as they are, and entities are decoded LAST so escaped user
 * text (`&lt;!channel&gt;`) comes out as the literal characters it was, never as a token.
 */
import { EMOJI_TEXT } from './format.js';

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const nodes = (value: unknown): Node[] => (Array.isArray(value) ? value.filter(isNode) : []);
const textOf = (value: unknown): string => (isNode(value) && typeof value.text === 'string' ? value.text : '');

/** Slack mrkdwn (or plain text) → terminal text. */
export function mrkdwnToText(text: string): string {
  return text
    .replace(/\n?```([\s\S]*?)```\n?/g, (_m, body: string) => `\n${body.replace(/^\n|\n$/g, '')}\n`)
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<!subteam\^[^|>]*\|([^>]*)>/g, '@$1')
    .replace(/<!subteam\^([^|>]*)>/g, '@$1')
    .replace(/<!(channel|here|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<((?:https?|mailto):[^|>]*)\|([^>]*)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]*)>/g, '$1')
    .replace(/:[a-z0-9_+-]+:/g, (m) => EMOJI_TEXT[m] ?? m)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const list = (options: unknown): string => nodes(options).map((o) => mrkdwnToText(textOf(o.text))).join(' | ');

function elementText(e: Node): string {
  switch (e.type) {
    case 'button':
      return `[${mrkdwnToText(textOf(e.text))}]`;
    case 'image':
      return `[image: ${typeof e.alt_text === 'string' ? e.alt_text : ''}]`;
    case 'plain_text':
    case 'mrkdwn':
      return mrkdwnToText(textOf(e));
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return typeof e.initial_value === 'string' && e.initial_value ? `[${e.initial_value}]` : '[ ]';
    case 'checkboxes': {
      const on = new Set(nodes(e.initial_options).map((o) => o.value));
      return nodes(e.options).map((o) => `[${on.has(o.value) ? 'x' : ' '}] ${mrkdwnToText(textOf(o.text))}`).join('  ');
    }
    case 'static_select':
    case 'radio_buttons':
    case 'multi_static_select': {
      const picked = [e.initial_option, ...nodes(e.initial_options)].filter(isNode).map((o) => mrkdwnToText(textOf(o.text)));
      return `(${list(e.options)})${picked.length ? ` [${picked.join(', ')}]` : ''}`;
    }
    case 'datepicker':
      return typeof e.initial_date === 'string' ? `[${e.initial_date}]` : '[yyyy-mm-dd]';
    case 'timepicker':
      return typeof e.initial_time === 'string' ? `[${e.initial_time}]` : '[hh:mm]';
    case 'datetimepicker':
      return typeof e.initial_date_time === 'number' ? `[${new Date(e.initial_date_time * 1000).toISOString()}]` : '[date and time]';
    default:
      return `[${String(e.type)}]`;
  }
}

/** A field written as "*label*\nvalue" reads "label: value". */
function fieldText(field: Node): string {
  const text = mrkdwnToText(textOf(field));
  const [first, ...rest] = text.split('\n');
  if (!rest.length) return text;
  return `${(first ?? '').replace(/^\*(.*)\*$/, '$1')}: ${rest.join('\n')}`;
}

function blockText(block: Node): string | undefined {
  switch (block.type) {
    case 'header': {
      const text = mrkdwnToText(textOf(block.text));
      return `${text}\n${'='.repeat(Math.min(60, [...text].length))}`;
    }
    case 'section': {
      const parts: string[] = [];
      if (isNode(block.text)) parts.push(mrkdwnToText(textOf(block.text)));
      parts.push(...nodes(block.fields).map(fieldText));
      if (isNode(block.accessory)) parts.push(elementText(block.accessory));
      return parts.filter(Boolean).join('\n');
    }
    case 'context':
      return nodes(block.elements).map(elementText).filter(Boolean).join(' · ');
    case 'actions':
      return nodes(block.elements).map(elementText).join(' ');
    case 'input': {
      const label = `${mrkdwnToText(textOf(block.label))}${block.optional ? ' (optional)' : ''}`;
      const hint = isNode(block.hint) ? `\n  ${mrkdwnToText(textOf(block.hint))}` : '';
      return `${label}: ${isNode(block.element) ? elementText(block.element) : ''}${hint}`;
    }
    case 'divider':
      return '---';
    case 'image':
      return elementText(block);
    default:
      return undefined; // rich_text, video… have no useful terminal form
  }
}

/** The blocks of a message, modal or home tab as terminal text, one block per paragraph line. */
export function blocksToText(blocks: readonly unknown[]): string {
  return nodes(blocks).map(blockText).filter((text): text is string => !!text).join('\n');
}

/** A modal or home view: its title, blocks, and the submit / close buttons. */
export function viewToText(view: { title?: unknown; blocks: readonly unknown[]; submit?: unknown; close?: unknown }): string {
  const title = textOf(view.title);
  const buttons = [view.submit, view.close].filter(isNode).map((b) => `[${mrkdwnToText(textOf(b))}]`).join(' ');
  return [title && `${mrkdwnToText(title)}\n${'='.repeat(Math.min(60, [...title].length))}`, blocksToText(view.blocks), buttons]
    .filter(Boolean)
    .join('\n');
}
