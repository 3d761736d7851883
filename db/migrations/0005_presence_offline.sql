ALTER TABLE "attendees" ADD COLUMN "last_sign_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "mode" text DEFAULT 'entry' NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "offline_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "suggestions" ADD COLUMN "share_asked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_mode_check" CHECK ("devices"."mode" in ('entry', 'exit', 'both'));