CREATE TABLE "asset_edges" (
	"upstream_id" text NOT NULL,
	"downstream_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" jsonb,
	CONSTRAINT "asset_edges_upstream_id_downstream_id_pk" PRIMARY KEY("upstream_id","downstream_id")
);
--> statement-breakpoint
CREATE TABLE "asset_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"asset_id" text NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"execution_id" text,
	"namespace" text,
	"flow_id" text,
	"task_id" text,
	"task_run_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"id" text PRIMARY KEY NOT NULL,
	"namespace" text,
	"type" text NOT NULL,
	"display_name" text,
	"description" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" jsonb,
	"updated_by" jsonb,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "chat_messages" (
	"execution_id" text NOT NULL,
	"kind" text NOT NULL,
	"ref" text DEFAULT '' NOT NULL,
	"approval_id" text,
	"channel" text,
	"ts" text,
	"thread_ts" text,
	"permalink" text,
	"content_hash" text,
	"source_version" text,
	"next_update_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done" boolean DEFAULT false NOT NULL,
	"updates" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"posted_at" timestamp with time zone,
	CONSTRAINT "chat_messages_execution_id_kind_ref_pk" PRIMARY KEY("execution_id","kind","ref")
);
--> statement-breakpoint
CREATE TABLE "slack_requests" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "asset_edges" ADD CONSTRAINT "asset_edges_upstream_id_assets_id_fk" FOREIGN KEY ("upstream_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_edges" ADD CONSTRAINT "asset_edges_downstream_id_assets_id_fk" FOREIGN KEY ("downstream_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_events" ADD CONSTRAINT "asset_events_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_edges_downstream_idx" ON "asset_edges" USING btree ("downstream_id","upstream_id");--> statement-breakpoint
CREATE INDEX "asset_events_asset_idx" ON "asset_events" USING btree ("asset_id","id");--> statement-breakpoint
CREATE INDEX "asset_events_execution_idx" ON "asset_events" USING btree ("execution_id");--> statement-breakpoint
CREATE UNIQUE INDEX "asset_events_used_once_idx" ON "asset_events" USING btree ("asset_id","task_run_id") WHERE kind = 'USED' and task_run_id is not null;--> statement-breakpoint
CREATE INDEX "assets_type_idx" ON "assets" USING btree ("type","id");--> statement-breakpoint
CREATE INDEX "assets_namespace_idx" ON "assets" USING btree ("namespace","id");--> statement-breakpoint
CREATE INDEX "assets_metadata_idx" ON "assets" USING gin ("metadata" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "chat_messages_open_idx" ON "chat_messages" USING btree ("kind") WHERE not done;--> statement-breakpoint
CREATE INDEX "chat_messages_approval_idx" ON "chat_messages" USING btree ("approval_id");--> statement-breakpoint
CREATE INDEX "slack_requests_expires_idx" ON "slack_requests" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "executions_created_by_idx" ON "executions" USING btree ("created_by","created_at");