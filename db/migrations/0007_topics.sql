-- Intent topics get two sides (settings.topics: { id, seekLabel, offerLabel }) and intents
-- hold topic ids. Every old intent tag becomes a one-label topic (the organiser can split it
-- later; choices follow the id), and so does any tag still in someone's intent that the
-- event's list had dropped, so no intent loses a choice.
DO $$
DECLARE
  ev record;
  tags jsonb;
  label text;
  base text;
  id text;
  n int;
  topics jsonb;
  ids jsonb;
BEGIN
  FOR ev IN SELECT e.id, e.settings FROM events e WHERE NOT (e.settings ? 'topics') LOOP
    tags := coalesce(
      ev.settings -> 'intentTags',
      '["Hiring", "Job hunting", "Investors", "Funding", "Co-founder", "Mentoring", "Design", "Engineering", "Product", "Sales", "Marketing", "Advice"]'::jsonb
    );
    -- Tags in intents that the list no longer has, in a stable order.
    SELECT tags || coalesce(jsonb_agg(x.tag ORDER BY x.tag), '[]'::jsonb) INTO tags
    FROM (
      SELECT DISTINCT ON (lower(t.tag)) t.tag
      FROM intents i, jsonb_array_elements_text(i.seeks || i.offers) AS t(tag)
      WHERE i.event_id = ev.id
        AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(tags) AS k(tag) WHERE lower(k.tag) = lower(t.tag))
      ORDER BY lower(t.tag), t.tag
    ) x;
    topics := '[]'::jsonb;
    ids := '{}'::jsonb;
    FOR label IN SELECT value FROM jsonb_array_elements_text(tags) LOOP
      CONTINUE WHEN ids ? lower(label);
      base := left(trim(both '-' from regexp_replace(lower(label), '[^a-z0-9]+', '-', 'g')), 34);
      base := trim(trailing '-' from base);
      IF base = '' THEN base := 'topic'; END IF;
      id := base;
      n := 2;
      WHILE EXISTS (SELECT 1 FROM jsonb_each_text(ids) AS m(k, v) WHERE m.v = id) LOOP
        id := base || '-' || n;
        n := n + 1;
      END LOOP;
      ids := ids || jsonb_build_object(lower(label), id);
      topics := topics || jsonb_build_array(jsonb_build_object('id', id, 'seekLabel', label, 'offerLabel', label));
    END LOOP;
    UPDATE events SET settings = (settings - 'intentTags') || jsonb_build_object('topics', topics) WHERE events.id = ev.id;
    UPDATE intents i SET
      seeks = coalesce((
        SELECT jsonb_agg(m.id ORDER BY m.first) FROM (
          SELECT ids ->> lower(t.tag) AS id, min(t.ord) AS first
          FROM jsonb_array_elements_text(i.seeks) WITH ORDINALITY AS t(tag, ord) GROUP BY 1
        ) m), '[]'::jsonb),
      offers = coalesce((
        SELECT jsonb_agg(m.id ORDER BY m.first) FROM (
          SELECT ids ->> lower(t.tag) AS id, min(t.ord) AS first
          FROM jsonb_array_elements_text(i.offers) WITH ORDINALITY AS t(tag, ord) GROUP BY 1
        ) m), '[]'::jsonb)
    WHERE i.event_id = ev.id;
  END LOOP;
END
$$;
