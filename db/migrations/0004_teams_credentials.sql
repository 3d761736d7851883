CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text DEFAULT '' NOT NULL,
	"action" text NOT NULL,
	"event_id" uuid,
	"target_kind" text,
	"target_id" text,
	"target_name" text DEFAULT '' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code_hash" text NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"event_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "team_invitations_code_hash_unique" UNIQUE("code_hash"),
	CONSTRAINT "team_invitations_role_check" CHECK ("team_invitations"."role" in ('owner', 'organiser', 'door'))
);
--> statement-breakpoint
CREATE TABLE "event_access" (
	"organiser_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_access_organiser_id_event_id_pk" PRIMARY KEY("organiser_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "organisers" ADD COLUMN "role" text DEFAULT 'organiser' NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "staffed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "phone_links" ADD COLUMN "kind" text DEFAULT 'kiosk' NOT NULL;--> statement-breakpoint
ALTER TABLE "phone_links" ADD COLUMN "checkin_id" uuid;--> statement-breakpoint
ALTER TABLE "team_invitations" ADD CONSTRAINT "team_invitations_invited_by_organisers_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."organisers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_access" ADD CONSTRAINT "event_access_organiser_id_organisers_id_fk" FOREIGN KEY ("organiser_id") REFERENCES "public"."organisers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_access" ADD CONSTRAINT "event_access_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_event_idx" ON "audit_log" USING btree ("event_id","at");--> statement-breakpoint
CREATE INDEX "rate_limits_reset_idx" ON "rate_limits" USING btree ("reset_at");--> statement-breakpoint
CREATE INDEX "event_access_event_idx" ON "event_access" USING btree ("event_id");--> statement-breakpoint
ALTER TABLE "phone_links" ADD CONSTRAINT "phone_links_checkin_id_checkins_id_fk" FOREIGN KEY ("checkin_id") REFERENCES "public"."checkins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "phone_links_attendee_idx" ON "phone_links" USING btree ("attendee_id");--> statement-breakpoint
ALTER TABLE "phone_links" ADD CONSTRAINT "phone_links_checkin_unique" UNIQUE("checkin_id");--> statement-breakpoint
ALTER TABLE "organisers" ADD CONSTRAINT "organisers_role_check" CHECK ("organisers"."role" in ('owner', 'organiser', 'door'));--> statement-breakpoint
ALTER TABLE "phone_links" ADD CONSTRAINT "phone_links_kind_check" CHECK ("phone_links"."kind" in ('kiosk', 'mail'));--> statement-breakpoint
-- Before teams, every organiser could do everything: the first account becomes the owner,
-- the others organisers who keep every event they could already work on.
UPDATE "organisers" SET "role" = 'owner' WHERE "id" = (SELECT "id" FROM "organisers" ORDER BY "created_at", "id" LIMIT 1);--> statement-breakpoint
INSERT INTO "event_access" ("organiser_id", "event_id") SELECT o."id", e."id" FROM "organisers" o CROSS JOIN "events" e WHERE o."role" <> 'owner';
