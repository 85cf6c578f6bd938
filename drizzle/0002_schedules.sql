CREATE TABLE "trigger_fires" (
	"namespace" text NOT NULL,
	"flow_id" text NOT NULL,
	"trigger_id" text NOT NULL,
	"fire_time" timestamp with time zone NOT NULL,
	"execution_id" text,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trigger_fires_namespace_flow_id_trigger_id_fire_time_pk" PRIMARY KEY("namespace","flow_id","trigger_id","fire_time")
);
--> statement-breakpoint
CREATE TABLE "trigger_state" (
	"namespace" text NOT NULL,
	"flow_id" text NOT NULL,
	"trigger_id" text NOT NULL,
	"revision" integer NOT NULL,
	"fingerprint" text NOT NULL,
	"last_fire" timestamp with time zone,
	"next_fire" timestamp with time zone,
	"stopped_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trigger_state_namespace_flow_id_trigger_id_pk" PRIMARY KEY("namespace","flow_id","trigger_id")
);
