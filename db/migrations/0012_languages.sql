ALTER TABLE "organisers" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "languages" text[] DEFAULT '{en}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "default_language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_languages_check" CHECK (cardinality("events"."languages") >= 1 and "events"."default_language" = any("events"."languages"));