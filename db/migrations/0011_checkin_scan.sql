-- The check-in rules (shared/src/checkinRules.ts) as a truth table: checkinRuleTable()
-- evaluated for every combination of facts. The rules are changed there, never here: a
-- unit test (db/src/checkinRules.test.ts) fails until a new migration brings this table
-- level with them.
CREATE TABLE "checkin_rules" (
	"facts" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"effective" boolean NOT NULL,
	"flagged" boolean NOT NULL,
	"supersedes_next" boolean NOT NULL
);
--> statement-breakpoint
INSERT INTO "checkin_rules" ("facts", "status", "reason", "effective", "flagged", "supersedes_next") VALUES
  ('refusal:draft:valid', 'event_not_open', 'event_not_open', false, false, false),
  ('refusal:draft:unknown', 'event_not_open', 'event_not_open', false, false, false),
  ('refusal:draft:revoked', 'event_not_open', 'event_not_open', false, false, false),
  ('refusal:draft:wrong_event', 'event_not_open', 'event_not_open', false, false, false),
  ('refusal:open:unknown', 'unknown_token', 'unknown_token', false, false, false),
  ('refusal:open:revoked', 'revoked', 'revoked', false, false, false),
  ('refusal:open:wrong_event', 'wrong_event', 'wrong_event', false, false, false),
  ('refusal:closed:valid', 'event_closed', 'event_closed', false, false, false),
  ('refusal:closed:unknown', 'event_closed', 'event_closed', false, false, false),
  ('refusal:closed:revoked', 'event_closed', 'event_closed', false, false, false),
  ('refusal:closed:wrong_event', 'event_closed', 'event_closed', false, false, false),
  ('presence:entry:false:false:none:false', 'ok', 'first_entry', true, false, false),
  ('presence:entry:false:false:none:true', 'ok', 'first_entry', true, false, false),
  ('presence:entry:false:false:entry:false', 'ok', 'first_entry', true, false, true),
  ('presence:entry:false:false:entry:true', 'ok', 'first_entry', true, false, true),
  ('presence:entry:false:false:exit:false', 'ok', 'first_entry', true, false, false),
  ('presence:entry:false:false:exit:true', 'ok', 'first_entry', true, false, false),
  ('presence:entry:false:true:none:false', 'ok', 're_entry', true, false, false),
  ('presence:entry:false:true:none:true', 'ok', 're_entry', true, false, false),
  ('presence:entry:false:true:entry:false', 'ok', 're_entry', true, false, true),
  ('presence:entry:false:true:entry:true', 'ok', 're_entry', true, false, true),
  ('presence:entry:false:true:exit:false', 'ok', 're_entry', true, false, false),
  ('presence:entry:false:true:exit:true', 'ok', 're_entry', true, false, false),
  ('presence:entry:true:false:none:false', 'already_checked_in', 'already_present', false, false, false),
  ('presence:entry:true:false:none:true', 'already_checked_in', 'already_present', false, true, false),
  ('presence:entry:true:false:entry:false', 'already_checked_in', 'already_present', false, true, false),
  ('presence:entry:true:false:entry:true', 'already_checked_in', 'already_present', false, true, false),
  ('presence:entry:true:false:exit:false', 'already_checked_in', 'already_present', false, true, false),
  ('presence:entry:true:false:exit:true', 'already_checked_in', 'already_present', false, true, false),
  ('presence:entry:true:true:none:false', 'already_checked_in', 'already_present', false, false, false),
  ('presence:entry:true:true:none:true', 'already_checked_in', 'already_present', false, true, false),
  ('presence:entry:true:true:entry:false', 'already_checked_in', 'already_present', false, true, false),
  ('presence:entry:true:true:entry:true', 'already_checked_in', 'already_present', false, true, false),
  ('presence:entry:true:true:exit:false', 'already_checked_in', 'already_present', false, true, false),
  ('presence:entry:true:true:exit:true', 'already_checked_in', 'already_present', false, true, false),
  ('presence:exit:false:false:none:false', 'not_checked_in', 'not_present', false, false, false),
  ('presence:exit:false:false:none:true', 'not_checked_in', 'not_present', false, false, false),
  ('presence:exit:false:false:entry:false', 'not_checked_in', 'not_present', false, true, false),
  ('presence:exit:false:false:entry:true', 'not_checked_in', 'not_present', false, true, false),
  ('presence:exit:false:false:exit:false', 'not_checked_in', 'not_present', false, true, false),
  ('presence:exit:false:false:exit:true', 'not_checked_in', 'not_present', false, true, false),
  ('presence:exit:false:true:none:false', 'not_checked_in', 'not_present', false, false, false),
  ('presence:exit:false:true:none:true', 'not_checked_in', 'not_present', false, false, false),
  ('presence:exit:false:true:entry:false', 'not_checked_in', 'not_present', false, true, false),
  ('presence:exit:false:true:entry:true', 'not_checked_in', 'not_present', false, true, false),
  ('presence:exit:false:true:exit:false', 'not_checked_in', 'not_present', false, true, false),
  ('presence:exit:false:true:exit:true', 'not_checked_in', 'not_present', false, true, false),
  ('presence:exit:true:false:none:false', 'ok', 'exit', true, false, false),
  ('presence:exit:true:false:none:true', 'ok', 'exit', true, false, false),
  ('presence:exit:true:false:entry:false', 'ok', 'exit', true, false, false),
  ('presence:exit:true:false:entry:true', 'ok', 'exit', true, false, false),
  ('presence:exit:true:false:exit:false', 'ok', 'exit', true, true, false),
  ('presence:exit:true:false:exit:true', 'ok', 'exit', true, true, false),
  ('presence:exit:true:true:none:false', 'ok', 'exit', true, false, false),
  ('presence:exit:true:true:none:true', 'ok', 'exit', true, false, false),
  ('presence:exit:true:true:entry:false', 'ok', 'exit', true, false, false),
  ('presence:exit:true:true:entry:true', 'ok', 'exit', true, false, false),
  ('presence:exit:true:true:exit:false', 'ok', 'exit', true, true, false),
  ('presence:exit:true:true:exit:true', 'ok', 'exit', true, true, false),
  ('superseded', 'already_checked_in', 'already_present', false, true, false);
--> statement-breakpoint
-- One kiosk scan, decided and recorded in one statement (one round trip, and on its own one
-- transaction: committed before the answer). Returns the scan's row (kind 'recorded', or
-- 'replayed' for a nonce already stored), then the later entry it turned into a duplicate
-- (kind 'superseded'), each with what the answer shows of its attendee; or a single row
-- saying why it recorded nothing: 'no_event', 'unpaired' (the device, whatever a cache
-- said), 'confirm' (a name search at an unattended kiosk: the caller asks for the guest's
-- confirmation in a transaction of its own).
CREATE FUNCTION "checkin_scan"(
	p_event_id uuid,
	p_device_id uuid,
	p_secret text,
	p_attendee_id uuid,
	p_nonce text,
	p_type text,
	p_method text,
	p_scanned_at timestamptz,
	p_received_at timestamptz,
	-- The statuses that contradict what an offline kiosk told the guest (a JSON array).
	p_disagreeing jsonb
) RETURNS TABLE (
	kind text, id uuid, event_id uuid, attendee_id uuid, device_id uuid, nonce text, type text, method text,
	status text, reason text, scanned_at timestamptz, received_at timestamptz, flagged boolean, effective boolean,
	name text, first_time boolean, has_intent boolean
) LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
DECLARE
	v_event_status text;
	v_staffed boolean;
	v_attendee uuid;
	v_attendee_event uuid;
	v_revoked boolean := false;
	v_ticket text;
	v_rule checkin_rules;
	v_last checkins;
	v_next checkins;
	v_entered boolean;
	v_row checkins;
BEGIN
	-- The lock a row's foreign key takes anyway: a close that holds the event is waited for,
	-- and one that comes after waits for this scan, so it checks this guest out too.
	SELECT e.status INTO v_event_status FROM events e WHERE e.id = p_event_id FOR KEY SHARE;
	IF NOT FOUND THEN
		kind := 'no_event';
		RETURN NEXT;
		RETURN;
	END IF;
	SELECT d.staffed INTO v_staffed FROM devices d WHERE d.id = p_device_id AND d.event_id = p_event_id AND d.unpaired_at IS NULL;
	IF NOT FOUND THEN
		kind := 'unpaired';
		RETURN NEXT;
		RETURN;
	END IF;

	-- The subject's row is locked, so concurrent scans of one person queue up. Each statement
	-- of a volatile function takes a fresh snapshot: what follows reads the log as it stands
	-- once the lock is held, the scans of whoever held it before included.
	IF p_secret IS NOT NULL THEN
		SELECT a.id, a.event_id, t.revoked_at IS NOT NULL INTO v_attendee, v_attendee_event, v_revoked
		FROM tickets t JOIN attendees a ON a.id = t.attendee_id
		WHERE t.secret = p_secret
		FOR NO KEY UPDATE OF a;
	ELSIF p_attendee_id IS NOT NULL THEN
		SELECT a.id, a.event_id INTO v_attendee, v_attendee_event
		FROM attendees a
		WHERE a.id = p_attendee_id AND a.event_id = p_event_id
		FOR NO KEY UPDATE;
	END IF;

	-- A retry answers what its first try recorded.
	SELECT c.* INTO v_row FROM checkins c WHERE c.nonce = p_nonce;
	IF FOUND THEN
		RETURN QUERY SELECT 'replayed', v_row.id, v_row.event_id, v_row.attendee_id, v_row.device_id, v_row.nonce, v_row.type, v_row.method,
			v_row.status, v_row.reason, v_row.scanned_at, v_row.received_at, v_row.flagged, v_row.effective,
			a.name, a.first_time, EXISTS (SELECT 1 FROM intents i WHERE i.attendee_id = a.id)
		FROM (SELECT 1) one LEFT JOIN attendees a ON a.id = v_row.attendee_id;
		RETURN;
	END IF;

	v_ticket := CASE
		WHEN v_attendee IS NULL THEN 'unknown'
		WHEN v_attendee_event <> p_event_id THEN 'wrong_event'
		WHEN v_revoked THEN 'revoked'
		ELSE 'valid'
	END;
	-- An attendee of another event stays out of this event's log.
	IF v_ticket = 'wrong_event' THEN
		v_attendee := NULL;
	END IF;

	SELECT r.* INTO v_rule FROM checkin_rules r WHERE r.facts = 'refusal:' || v_event_status || ':' || v_ticket;
	IF NOT FOUND THEN
		IF p_attendee_id IS NOT NULL AND NOT v_staffed THEN
			kind := 'confirm';
			RETURN NEXT;
			RETURN;
		END IF;
		-- The facts of the log at the scan's time (presenceFacts in checkinRules.ts).
		SELECT c.* INTO v_last FROM checkins c
		WHERE c.attendee_id = v_attendee AND c.effective AND c.scanned_at <= p_scanned_at
		ORDER BY c.scanned_at DESC, c.received_at DESC LIMIT 1;
		SELECT c.* INTO v_next FROM checkins c
		WHERE c.attendee_id = v_attendee AND c.effective AND c.scanned_at > p_scanned_at
		ORDER BY c.scanned_at, c.received_at LIMIT 1;
		v_entered := EXISTS (
			SELECT 1 FROM checkins c
			WHERE c.attendee_id = v_attendee AND c.effective AND c.type = 'entry' AND c.scanned_at <= p_scanned_at
		);
		SELECT r.* INTO v_rule FROM checkin_rules r
		WHERE r.facts = format('presence:%s:%s:%s:%s:%s', p_type,
			coalesce(v_last.type = 'entry', false)::text,
			v_entered::text,
			coalesce(v_next.type, 'none'),
			coalesce(v_last.device_id IS DISTINCT FROM p_device_id AND v_last.received_at > p_scanned_at, false)::text);
		IF NOT FOUND THEN
			RAISE EXCEPTION 'checkin_rules has no rule for a % scan with these facts', p_type;
		END IF;
	END IF;

	INSERT INTO checkins AS c (event_id, attendee_id, device_id, nonce, type, method, status, reason, scanned_at, received_at, flagged, effective)
	VALUES (p_event_id, v_attendee, p_device_id, p_nonce, p_type, p_method, v_rule.status, v_rule.reason, p_scanned_at, p_received_at,
		v_rule.flagged OR coalesce(p_disagreeing ? v_rule.status, false), v_rule.effective)
	ON CONFLICT (nonce) DO NOTHING
	RETURNING c.* INTO v_row;
	IF NOT FOUND THEN
		-- The same nonce, stored meanwhile by a scan of another subject: the caller tells them apart.
		SELECT c.* INTO v_row FROM checkins c WHERE c.nonce = p_nonce;
		kind := 'replayed';
	ELSE
		kind := 'recorded';
	END IF;
	RETURN QUERY SELECT kind, v_row.id, v_row.event_id, v_row.attendee_id, v_row.device_id, v_row.nonce, v_row.type, v_row.method,
		v_row.status, v_row.reason, v_row.scanned_at, v_row.received_at, v_row.flagged, v_row.effective,
		a.name, a.first_time, EXISTS (SELECT 1 FROM intents i WHERE i.attendee_id = a.id)
	FROM (SELECT 1) one LEFT JOIN attendees a ON a.id = v_row.attendee_id;

	IF kind = 'recorded' AND v_rule.supersedes_next THEN
		-- This entry came first: the later one is the duplicate now (the only change the log takes after the fact).
		UPDATE checkins c SET status = s.status, reason = s.reason, effective = s.effective, flagged = s.flagged
		FROM checkin_rules s
		WHERE s.facts = 'superseded' AND c.id = v_next.id
		RETURNING c.* INTO v_row;
		RETURN QUERY SELECT 'superseded', v_row.id, v_row.event_id, v_row.attendee_id, v_row.device_id, v_row.nonce, v_row.type, v_row.method,
			v_row.status, v_row.reason, v_row.scanned_at, v_row.received_at, v_row.flagged, v_row.effective,
			NULL::text, NULL::boolean, NULL::boolean;
	END IF;
END
$fn$;
