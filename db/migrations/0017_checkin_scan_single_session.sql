-- checkin_scan and checkin_scan_batch take p_lock: on a database one session uses at a time
-- (PGlite, where the group commit runs one batch after another) there is nobody to queue up
-- behind, and the event's and the attendee's row locks cost a write each (half of a scan's
-- time there). On Postgres the locks are taken as before, each in a statement of its own
-- before the reads, so the reads see what the lock's previous holder wrote. Same answers.
DROP FUNCTION "checkin_scan_batch"(jsonb);
--> statement-breakpoint
DROP FUNCTION "checkin_scan"(uuid, uuid, text, uuid, text, text, text, timestamptz, timestamptz, jsonb);
--> statement-breakpoint
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
	p_disagreeing jsonb,
	-- False on a database one session uses at a time (PGlite): nothing runs beside the scan,
	-- and the row locks would only cost their writes.
	p_lock boolean
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
	v_name text;
	v_first_time boolean;
	v_has_intent boolean;
	v_ticket text;
	v_rule checkin_rules;
	v_next_id uuid;
	v_row checkins;
BEGIN
	-- The event with the lock a row's foreign key takes anyway: a close that holds the event
	-- is waited for, and one that comes after waits for this scan, so it checks this guest out too.
	IF p_lock THEN
		PERFORM 1 FROM events e WHERE e.id = p_event_id FOR KEY SHARE;
	END IF;
	SELECT e.status, d.staffed INTO v_event_status, v_staffed
	FROM events e LEFT JOIN devices d ON d.id = p_device_id AND d.event_id = e.id AND d.unpaired_at IS NULL
	WHERE e.id = p_event_id;
	IF NOT FOUND THEN
		kind := 'no_event';
		RETURN NEXT;
		RETURN;
	END IF;
	IF v_staffed IS NULL THEN
		kind := 'unpaired';
		RETURN NEXT;
		RETURN;
	END IF;

	-- The subject's row is locked, so concurrent scans of one person queue up. Each statement
	-- of a volatile function takes a fresh snapshot: what follows reads the log as it stands
	-- once the lock is held, the scans of whoever held it before included.
	IF p_lock THEN
		PERFORM 1 FROM attendees a
		WHERE a.id = coalesce(p_attendee_id, (SELECT t.attendee_id FROM tickets t WHERE t.secret = p_secret))
		FOR NO KEY UPDATE;
	END IF;
	IF p_secret IS NOT NULL THEN
		SELECT a.id, a.event_id, t.revoked_at IS NOT NULL, a.name, a.first_time, EXISTS (SELECT 1 FROM intents i WHERE i.attendee_id = a.id)
		INTO v_attendee, v_attendee_event, v_revoked, v_name, v_first_time, v_has_intent
		FROM tickets t JOIN attendees a ON a.id = t.attendee_id
		WHERE t.secret = p_secret;
	ELSIF p_attendee_id IS NOT NULL THEN
		SELECT a.id, a.event_id, a.name, a.first_time, EXISTS (SELECT 1 FROM intents i WHERE i.attendee_id = a.id)
		INTO v_attendee, v_attendee_event, v_name, v_first_time, v_has_intent
		FROM attendees a
		WHERE a.id = p_attendee_id AND a.event_id = p_event_id;
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
		v_name := NULL;
	END IF;

	SELECT r.* INTO v_rule FROM checkin_rules r WHERE r.facts = 'refusal:' || v_event_status || ':' || v_ticket;
	IF NOT FOUND THEN
		IF p_attendee_id IS NOT NULL AND NOT v_staffed THEN
			kind := 'confirm';
			RETURN NEXT;
			RETURN;
		END IF;
		-- The facts of the log at the scan's time (presenceFacts in checkinRules.ts) and their rule.
		SELECT r.facts, r.status, r.reason, r.effective, r.flagged, r.supersedes_next, n.id
		INTO v_rule.facts, v_rule.status, v_rule.reason, v_rule.effective, v_rule.flagged, v_rule.supersedes_next, v_next_id
		FROM (SELECT 1) one
		LEFT JOIN LATERAL (
			SELECT c.type, c.device_id, c.received_at FROM checkins c
			WHERE c.attendee_id = v_attendee AND c.effective AND c.scanned_at <= p_scanned_at
			ORDER BY c.scanned_at DESC, c.received_at DESC LIMIT 1
		) l ON true
		LEFT JOIN LATERAL (
			SELECT c.id, c.type FROM checkins c
			WHERE c.attendee_id = v_attendee AND c.effective AND c.scanned_at > p_scanned_at
			ORDER BY c.scanned_at, c.received_at LIMIT 1
		) n ON true
		JOIN checkin_rules r ON r.facts = format('presence:%s:%s:%s:%s:%s', p_type,
			coalesce(l.type = 'entry', false)::text,
			EXISTS (
				SELECT 1 FROM checkins c
				WHERE c.attendee_id = v_attendee AND c.effective AND c.type = 'entry' AND c.scanned_at <= p_scanned_at
			)::text,
			coalesce(n.type, 'none'),
			coalesce(l.device_id IS DISTINCT FROM p_device_id AND l.received_at > p_scanned_at, false)::text);
		IF NOT FOUND THEN
			RAISE EXCEPTION 'checkin_rules has no rule for a % scan with these facts', p_type;
		END IF;
	END IF;

	INSERT INTO checkins AS c (event_id, attendee_id, device_id, nonce, type, method, status, reason, scanned_at, received_at, flagged, effective)
	VALUES (p_event_id, v_attendee, p_device_id, p_nonce, p_type, p_method, v_rule.status, v_rule.reason, p_scanned_at, p_received_at,
		v_rule.flagged OR coalesce(p_disagreeing ? v_rule.status, false), v_rule.effective)
	ON CONFLICT (nonce) DO NOTHING
	RETURNING c.* INTO v_row;
	IF FOUND THEN
		kind := 'recorded';
	ELSE
		-- A retry (or the same nonce from elsewhere: the caller tells them apart) answers what was stored.
		kind := 'replayed';
		SELECT c.* INTO v_row FROM checkins c WHERE c.nonce = p_nonce;
		SELECT a.name, a.first_time, EXISTS (SELECT 1 FROM intents i WHERE i.attendee_id = a.id)
		INTO v_name, v_first_time, v_has_intent
		FROM attendees a WHERE a.id = v_row.attendee_id;
	END IF;
	id := v_row.id;
	event_id := v_row.event_id;
	attendee_id := v_row.attendee_id;
	device_id := v_row.device_id;
	nonce := v_row.nonce;
	type := v_row.type;
	method := v_row.method;
	status := v_row.status;
	reason := v_row.reason;
	scanned_at := v_row.scanned_at;
	received_at := v_row.received_at;
	flagged := v_row.flagged;
	effective := v_row.effective;
	name := v_name;
	first_time := v_first_time;
	has_intent := v_has_intent;
	RETURN NEXT;

	IF kind = 'recorded' AND v_rule.supersedes_next THEN
		-- This entry came first: the later one is the duplicate now (the only change the log takes after the fact).
		RETURN QUERY
		UPDATE checkins c SET status = s.status, reason = s.reason, effective = s.effective, flagged = s.flagged
		FROM checkin_rules s
		WHERE s.facts = 'superseded' AND c.id = v_next_id
		RETURNING 'superseded'::text, c.id, c.event_id, c.attendee_id, c.device_id, c.nonce, c.type, c.method,
			c.status, c.reason, c.scanned_at, c.received_at, c.flagged, c.effective, NULL::text, NULL::boolean, NULL::boolean;
	END IF;
END
$fn$;
--> statement-breakpoint
CREATE FUNCTION "checkin_scan_batch"(p_scans jsonb, p_lock boolean) RETURNS TABLE (
	ord integer, kind text, id uuid, event_id uuid, attendee_id uuid, device_id uuid, nonce text, type text, method text,
	status text, reason text, scanned_at timestamptz, received_at timestamptz, flagged boolean, effective boolean,
	name text, first_time boolean, has_intent boolean
) LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
	v_scan jsonb;
	v_ord integer := 0;
BEGIN
	FOR v_scan IN SELECT s.value FROM jsonb_array_elements(p_scans) s LOOP
		RETURN QUERY SELECT v_ord, r.* FROM checkin_scan(
			(v_scan->>'eventId')::uuid, (v_scan->>'deviceId')::uuid, v_scan->>'secret', (v_scan->>'attendeeId')::uuid,
			v_scan->>'nonce', v_scan->>'type', v_scan->>'method', (v_scan->>'scannedAt')::timestamptz,
			(v_scan->>'receivedAt')::timestamptz, coalesce(v_scan->'disagreeing', '[]'::jsonb), p_lock) r;
		v_ord := v_ord + 1;
	END LOOP;
END
$fn$;
