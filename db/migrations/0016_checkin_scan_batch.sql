-- Several kiosk scans in one statement, so in one transaction: scans arriving together cost
-- one round trip, one commit (one WAL flush) and one key-share lock of their event, where
-- one statement each cost as many. Each scan is decided and recorded by checkin_scan, in the
-- order given (the caller orders them); its rows come back with its place in p_scans (ord,
-- from 0). p_scans is a JSON array of objects: eventId, deviceId, secret, attendeeId, nonce,
-- type, method, scannedAt, receivedAt, disagreeing (as checkin_scan's parameters).
CREATE FUNCTION "checkin_scan_batch"(p_scans jsonb) RETURNS TABLE (
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
			(v_scan->>'receivedAt')::timestamptz, coalesce(v_scan->'disagreeing', '[]'::jsonb)) r;
		v_ord := v_ord + 1;
	END LOOP;
END
$fn$;
