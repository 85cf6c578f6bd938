CREATE TABLE "approval_votes" (
	"approval_id" text NOT NULL,
	"user_id" text NOT NULL,
	"decision" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "approval_votes_approval_id_user_id_pk" PRIMARY KEY("approval_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"execution_id" text NOT NULL,
	"task_run_id" text NOT NULL,
	"state" text NOT NULL,
	"users" jsonb NOT NULL,
	"groups" jsonb NOT NULL,
	"min_approvals" integer NOT NULL,
	"allow_self_approval" boolean NOT NULL,
	"requested_by" text NOT NULL,
	"description" text,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"reason" text,
	CONSTRAINT "approvals_task_run_id_unique" UNIQUE("task_run_id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"details" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "executions" (
	"id" text PRIMARY KEY NOT NULL,
	"namespace" text NOT NULL,
	"flow_id" text NOT NULL,
	"revision" integer NOT NULL,
	"state" text NOT NULL,
	"inputs" jsonb NOT NULL,
	"labels" jsonb NOT NULL,
	"outputs" jsonb,
	"created_by" text NOT NULL,
	"parent_execution_id" text,
	"parent_task_run_id" text,
	"trigger" jsonb,
	"kill_requested" boolean DEFAULT false NOT NULL,
	"error" text,
	"secrets" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "flow_revisions" (
	"namespace" text NOT NULL,
	"flow_id" text NOT NULL,
	"revision" integer NOT NULL,
	"source" text NOT NULL,
	"checksum" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flow_revisions_namespace_flow_id_revision_pk" PRIMARY KEY("namespace","flow_id","revision")
);
--> statement-breakpoint
CREATE TABLE "kv" (
	"namespace" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"expires_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kv_namespace_key_pk" PRIMARY KEY("namespace","key")
);
--> statement-breakpoint
CREATE TABLE "logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"execution_id" text NOT NULL,
	"task_run_id" text,
	"task_id" text,
	"attempt" integer,
	"level" text NOT NULL,
	"message" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"execution_id" text NOT NULL,
	"task_id" text NOT NULL,
	"type" text NOT NULL,
	"runnable" boolean NOT NULL,
	"parent_task_run_id" text,
	"branch" text NOT NULL,
	"value" text,
	"position" integer NOT NULL,
	"state" text NOT NULL,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outputs" jsonb,
	"error" text,
	"flowable" jsonb,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"execution_id" text NOT NULL,
	"task_run_id" text NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "approval_votes" ADD CONSTRAINT "approval_votes_approval_id_approvals_id_fk" FOREIGN KEY ("approval_id") REFERENCES "public"."approvals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "logs" ADD CONSTRAINT "logs_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_runs" ADD CONSTRAINT "task_runs_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timers" ADD CONSTRAINT "timers_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_subject_idx" ON "audit_log" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "executions_state_idx" ON "executions" USING btree ("state");--> statement-breakpoint
CREATE INDEX "executions_flow_idx" ON "executions" USING btree ("namespace","flow_id","created_at");--> statement-breakpoint
CREATE INDEX "executions_parent_idx" ON "executions" USING btree ("parent_execution_id");--> statement-breakpoint
CREATE INDEX "logs_execution_idx" ON "logs" USING btree ("execution_id","id");--> statement-breakpoint
CREATE INDEX "task_runs_execution_idx" ON "task_runs" USING btree ("execution_id");--> statement-breakpoint
CREATE INDEX "task_runs_claimable_idx" ON "task_runs" USING btree ("created_at") WHERE state = 'CREATED' AND runnable;--> statement-breakpoint
CREATE INDEX "task_runs_lease_idx" ON "task_runs" USING btree ("lease_expires_at") WHERE state = 'RUNNING' AND runnable;--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "timers" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "timers_task_run_idx" ON "timers" USING btree ("task_run_id");