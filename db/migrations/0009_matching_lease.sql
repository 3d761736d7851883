CREATE TABLE "matching_lease" (
	"id" integer PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"fence" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "matching_lease_one_row" CHECK ("matching_lease"."id" = 1)
);
