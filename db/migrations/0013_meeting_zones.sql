CREATE TABLE "kiosk_zones" (
	"device_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"zone" text NOT NULL,
	CONSTRAINT "kiosk_zones_zone_length" CHECK (char_length("kiosk_zones"."zone") between 1 and 40)
);
--> statement-breakpoint
ALTER TABLE "meeting_points" ADD COLUMN "zone" text;--> statement-breakpoint
ALTER TABLE "kiosk_zones" ADD CONSTRAINT "kiosk_zones_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosk_zones" ADD CONSTRAINT "kiosk_zones_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kiosk_zones_event_idx" ON "kiosk_zones" USING btree ("event_id");--> statement-breakpoint
ALTER TABLE "meeting_points" ADD CONSTRAINT "meeting_points_zone_length" CHECK ("meeting_points"."zone" is null or char_length("meeting_points"."zone") between 1 and 40);