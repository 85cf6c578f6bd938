/**
 * Block Kit types, taken through @slack/bolt (a declared dependency) rather than @slack/types
 * (only installed as bolt's dependency), so the import keeps resolving if hoisting changes.
 */
import type { types, ViewStateValue } from '@slack/bolt';

export type AnyBlock = types.AnyBlock;
export type KnownBlock = types.KnownBlock;
export type SectionBlock = types.SectionBlock;
export type HeaderBlock = types.HeaderBlock;
export type ContextBlock = types.ContextBlock;
export type ActionsBlock = types.ActionsBlock;
export type InputBlock = types.InputBlock;
export type InputBlockElement = types.InputBlockElement;
export type Button = types.Button;
export type PlainTextElement = types.PlainTextElement;
export type MrkdwnElement = types.MrkdwnElement;
export type PlainTextOption = types.PlainTextOption;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type { ViewStateValue };

/** `view.state.values` of a view_submission: block_id → action_id → value. */
export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

/** What every message builder returns: blocks for Slack, `text` for notifications and fallbacks. */
export interface Message {
  text: string;
  blocks: KnownBlock[];
}
