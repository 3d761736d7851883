CREATE TABLE "acquaintances" (
	"event_id" uuid NOT NULL,
	"attendee_id" uuid NOT NULL,
	"knows_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "acquaintances_attendee_id_knows_id_pk" PRIMARY KEY("attendee_id","knows_id")
);
--> statement-breakpoint
CREATE TABLE "attendee_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"attendee_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_cards" (
	"attendee_id" uuid PRIMARY KEY NOT NULL,
	"share_email" boolean DEFAULT false NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"link" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"attendee_id" uuid NOT NULL,
	"about_id" uuid NOT NULL,
	"text" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notes_attendee_id_about_id_pk" PRIMARY KEY("attendee_id","about_id")
);
--> statement-breakpoint
CREATE TABLE "phone_links" (
	"id" text PRIMARY KEY NOT NULL,
	"attendee_id" uuid NOT NULL,
	"device_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "suggestions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"attendee_id" uuid NOT NULL,
	"target_id" uuid NOT NULL,
	"score" real NOT NULL,
	"reasons" jsonb NOT NULL,
	"state" text DEFAULT 'proposed' NOT NULL,
	"answer" text,
	"listed" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"mutual_at" timestamp with time zone,
	"met_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	CONSTRAINT "suggestions_pair_direction_unique" UNIQUE("attendee_id","target_id"),
	CONSTRAINT "suggestions_not_self" CHECK ("suggestions"."attendee_id" <> "suggestions"."target_id"),
	CONSTRAINT "suggestions_state_check" CHECK ("suggestions"."state" in ('proposed', 'accepted_by_one', 'mutual', 'declined', 'met', 'expired')),
	CONSTRAINT "suggestions_answer_check" CHECK ("suggestions"."answer" is null or "suggestions"."answer" in ('yes', 'no'))
);
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "matching_opt_out" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "acquaintances" ADD CONSTRAINT "acquaintances_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acquaintances" ADD CONSTRAINT "acquaintances_attendee_id_attendees_id_fk" FOREIGN KEY ("attendee_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acquaintances" ADD CONSTRAINT "acquaintances_knows_id_attendees_id_fk" FOREIGN KEY ("knows_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendee_sessions" ADD CONSTRAINT "attendee_sessions_attendee_id_attendees_id_fk" FOREIGN KEY ("attendee_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_cards" ADD CONSTRAINT "contact_cards_attendee_id_attendees_id_fk" FOREIGN KEY ("attendee_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_attendee_id_attendees_id_fk" FOREIGN KEY ("attendee_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_about_id_attendees_id_fk" FOREIGN KEY ("about_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_links" ADD CONSTRAINT "phone_links_attendee_id_attendees_id_fk" FOREIGN KEY ("attendee_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_links" ADD CONSTRAINT "phone_links_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestions" ADD CONSTRAINT "suggestions_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestions" ADD CONSTRAINT "suggestions_attendee_id_attendees_id_fk" FOREIGN KEY ("attendee_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestions" ADD CONSTRAINT "suggestions_target_id_attendees_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "acquaintances_event_idx" ON "acquaintances" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "attendee_sessions_attendee_idx" ON "attendee_sessions" USING btree ("attendee_id");--> statement-breakpoint
CREATE INDEX "suggestions_event_idx" ON "suggestions" USING btree ("event_id","state");--> statement-breakpoint
CREATE INDEX "suggestions_target_idx" ON "suggestions" USING btree ("target_id");