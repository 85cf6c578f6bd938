import type { ChatPoster, PatchReportSource } from '../reports/ports.js';

/**
 * Outside systems a task may reach through the server's own configuration rather than
 * through its properties: the Nutanix endpoint the server was started with (or its built-in
 * simulator), the chat surface that posts reports. Passed in explicitly (engine context →
 * task context); a field is absent when the server has no such system configured, and a task
 * that needs it says so in its error.
 */
export interface TaskIntegrations {
  /** Connection used by the Nutanix tasks when a flow gives no `host` (see tasks/nutanix). */
  nutanix?: NutanixDefaults;
  /** Patch runs, approvals and recovery points for the reports task (set by PatchbayService for every engine). */
  reports?: PatchReportSource;
  /** Where tasks post messages and files (Slack when configured; see src/slack/notifier/report-poster.ts). */
  chat?: ChatPoster;
  /** Slack API base for tasks that bring their own token (SLACK_API_URL); Slack's own when absent. */
  slackApiUrl?: string;
}

/** The server's Nutanix Prism Central connection (NUTANIX_* settings, or the built-in simulator). */
export interface NutanixDefaults {
  host: string;
  port: number;
  /** API key sent as `X-ntnx-api-key`. */
  apiKey?: string;
  username?: string;
  password?: string;
  /** PEM bundle trusted in addition to the system CAs (the simulator's own CA, a private PKI). */
  caCert?: string;
  /** Skip TLS verification: only when the operator set NUTANIX_INSECURE explicitly. */
  insecure?: boolean;
  /** For banners and error messages: "NUTANIX_HOST" or "built-in simulator". */
  source: string;
}
