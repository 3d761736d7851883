CREATE TABLE "floor_plans" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"image" "bytea" NOT NULL,
	"content_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "floor_plans_content_type" CHECK ("floor_plans"."content_type" in ('image/jpeg', 'image/png'))
);
--> statement-breakpoint
CREATE TABLE "kiosk_pins" (
	"device_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"x" real NOT NULL,
	"y" real NOT NULL,
	CONSTRAINT "kiosk_pins_range" CHECK ("kiosk_pins"."x" between 0 and 1 and "kiosk_pins"."y" between 0 and 1)
);
--> statement-breakpoint
ALTER TABLE "meeting_points" ADD COLUMN "pin_x" real;--> statement-breakpoint
ALTER TABLE "meeting_points" ADD COLUMN "pin_y" real;--> statement-breakpoint
ALTER TABLE "floor_plans" ADD CONSTRAINT "floor_plans_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_pins" ADD CONSTRAINT "kiosk_pins_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_pins" ADD CONSTRAINT "kiosk_pins_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kiosk_pins_event_idx" ON "kiosk_pins" USING btree ("event_id");--> statement-breakpoint
ALTER TABLE "meeting_points" ADD CONSTRAINT "meeting_points_pin" CHECK (("meeting_points"."pin_x" is null and "meeting_points"."pin_y" is null) or ("meeting_points"."pin_x" between 0 and 1 and "meeting_points"."pin_y" between 0 and 1));