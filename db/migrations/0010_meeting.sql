CREATE TABLE "attendee_photos" (
	"attendee_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"jpeg" "bytea" NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendee_photos_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "meeting_points" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_points_name_length" CHECK (char_length("meeting_points"."name") between 1 and 80)
);
--> statement-breakpoint
CREATE TABLE "pair_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"a_id" uuid NOT NULL,
	"b_id" uuid NOT NULL,
	"meeting_point_id" uuid,
	"meet_at" timestamp with time zone NOT NULL,
	"picked_by" uuid,
	"a_on_way_at" timestamp with time zone,
	"b_on_way_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pair_meetings_pair_unique" UNIQUE("a_id","b_id"),
	CONSTRAINT "pair_meetings_ordered" CHECK ("pair_meetings"."a_id" < "pair_meetings"."b_id")
);
--> statement-breakpoint
CREATE TABLE "where_i_am" (
	"attendee_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"text" text NOT NULL,
	"written_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "where_i_am_text_length" CHECK (char_length("where_i_am"."text") between 1 and 120)
);
--> statement-breakpoint
ALTER TABLE "attendee_photos" ADD CONSTRAINT "attendee_photos_attendee_id_attendees_id_fk" FOREIGN KEY ("attendee_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendee_photos" ADD CONSTRAINT "attendee_photos_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_points" ADD CONSTRAINT "meeting_points_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_meetings" ADD CONSTRAINT "pair_meetings_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_meetings" ADD CONSTRAINT "pair_meetings_a_id_attendees_id_fk" FOREIGN KEY ("a_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_meetings" ADD CONSTRAINT "pair_meetings_b_id_attendees_id_fk" FOREIGN KEY ("b_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_meetings" ADD CONSTRAINT "pair_meetings_meeting_point_id_meeting_points_id_fk" FOREIGN KEY ("meeting_point_id") REFERENCES "public"."meeting_points"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_meetings" ADD CONSTRAINT "pair_meetings_picked_by_attendees_id_fk" FOREIGN KEY ("picked_by") REFERENCES "public"."attendees"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "where_i_am" ADD CONSTRAINT "where_i_am_attendee_id_attendees_id_fk" FOREIGN KEY ("attendee_id") REFERENCES "public"."attendees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "where_i_am" ADD CONSTRAINT "where_i_am_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attendee_photos_event_idx" ON "attendee_photos" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "meeting_points_event_idx" ON "meeting_points" USING btree ("event_id","position");--> statement-breakpoint
CREATE INDEX "pair_meetings_event_idx" ON "pair_meetings" USING btree ("event_id","meet_at");