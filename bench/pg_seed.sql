-- bench/pg_seed.sql — seed the PostgreSQL store's tasks table directly, many times faster than
-- over HTTP, with the rows the store itself writes for the same tasks (checked by
-- `tickler_seed_check`, below). Load it into a database the api role has migrated:
--
--   psql "$URL" -v ON_ERROR_STOP=1 -f bench/pg_seed.sql
--   psql "$URL" -c "SELECT tickler_seed_tasks(<user id>, <count>[, <first i>[, <rare every>]])"
--   psql "$URL" -c "ANALYZE tasks"
--
-- tickler_seed_tasks(user_id, count, first = 0, rare_every = 0) inserts `count` tasks for the
-- user, task i (first <= i < first + count) built as bench/seed.py's task_body(i) builds it
-- (same verbs, objects, tags, descriptions, priority weights high:medium:low:none = 1:3:3:5,
-- 0-3 distinct tags, 80 % due over a year from 2026-12-01, time zone Europe/Berlin), drawn from
-- hashes of i instead of Python's random, so the same i gives the same task in every database:
--   title       "<Verb> <object> #i"
--   description one of seed.py's seven (three empty); with rare_every > 0, the tasks whose
--               i % rare_every = 0 get "Bring the zanzibar file." instead, a word for a rare
--               search (count / rare_every hits)
--   created_at  2026-01-01 UTC + i seconds (distinct, ascending with i), updated_at the same
-- It returns the number of rows inserted. The user must exist (users.id). The tasks carry no
-- events: the outbox rows the api would also have written are not made. Their tag rows
-- (task_tags, api migration 0007) are, by that table's triggers, as for any insert.
--
-- The search column is what store/postgres/search_terms.cpp's search_vector writes: the
-- tokens of FTS5's unicode61 tokenizer (remove_diacritics 2) of title, description and tags,
-- each field's positions one apart from the previous field's. tickler_seed_search_vector does
-- that for the only text these tasks hold (ASCII letters, digits, punctuation and "é").
-- tickler_seed_check() compares it with vectors the store wrote: it returns the number of tasks
-- whose search differs from tickler_seed_search_vector of their fields (0 expected) over tasks
-- the store wrote with this vocabulary.

CREATE OR REPLACE FUNCTION tickler_seed_search_vector(title text, description text, tags text[])
RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(string_agg(format('%s:%s', quote_literal(tok), pos), ' '), '')::tsvector
  FROM (
    SELECT tok,
           -- title tokens at 1.., each further field one position after the previous one's end
           row_number() OVER (ORDER BY f, n) + f - 1 AS pos
    FROM (
      SELECT f, n, tok
      FROM unnest(ARRAY[title, description, array_to_string(tags, ' ')]) WITH ORDINALITY AS x(field, f),
           regexp_split_to_table(translate(lower(field), 'é', 'e'), '[^a-z0-9]+')
             WITH ORDINALITY AS y(tok, n)
      WHERE tok <> ''
    ) tokens
  ) positioned
$$;

CREATE OR REPLACE FUNCTION tickler_seed_tasks(p_user bigint, p_count integer,
                                              p_first integer DEFAULT 0,
                                              p_rare_every integer DEFAULT 0)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  verbs text[] := ARRAY['Pay', 'Call', 'Email', 'Buy', 'Fix', 'Review', 'Write', 'Plan', 'Book',
    'Clean', 'Renew', 'Cancel', 'Prepare', 'Send', 'Check', 'Update', 'Water', 'Return', 'Order',
    'Read'];
  objects text[] := ARRAY['rent', 'dentist', 'the landlord', 'groceries', 'bike tyre',
    'pull request', 'report', 'holiday', 'flights', 'kitchen', 'passport', 'gym membership',
    'slides', 'invoice', 'tax return', 'blog post', 'plants', 'library books',
    'birthday present', 'insurance'];
  all_tags text[] := ARRAY['home', 'work', 'money', 'health', 'errands', 'family', 'travel',
    'garden', 'car', 'admin', 'reading', 'shopping', 'urgent', 'someday', 'phone', 'email',
    'projects', 'school', 'sport', 'friends', 'kitchen', 'bills', 'music', 'code', 'ideas'];
  descriptions text[] := ARRAY['', '', '', 'Remember to bring the papers.',
    'See the note from last week.', 'Ask Ann first. Café on the corner, 3 pm.',
    'Needs about an hour.'];
  tag_counts integer[] := ARRAY[0, 1, 1, 2, 2, 3];
  hours integer[] := ARRAY[8, 9, 12, 17, 20];
  n bigint;
BEGIN
  WITH drawn AS (
    SELECT i,
           -- draw k of task i: a non-negative hash, the same in every database
           (SELECT array_agg(hashint8extended(i, k) & 2147483647 ORDER BY k)
              FROM generate_series(1, 12) k) AS r
    FROM generate_series(p_first::bigint, p_first::bigint + p_count - 1) i
  ), built AS (
    SELECT i,
           verbs[1 + r[1] % 20] || ' ' || objects[1 + r[2] % 20] || ' #' || i AS title,
           CASE WHEN p_rare_every > 0 AND i % p_rare_every = 0 THEN 'Bring the zanzibar file.'
                ELSE descriptions[1 + r[3] % 7] END AS description,
           CASE WHEN r[4] % 12 < 1 THEN 3 WHEN r[4] % 12 < 4 THEN 2 WHEN r[4] % 12 < 7 THEN 1
                ELSE 0 END AS priority,
           -- 0-3 distinct tags: the first n of the 25 ordered by a hash of (i, tag)
           ARRAY(SELECT t FROM unnest(all_tags) WITH ORDINALITY AS u(t, k)
                  ORDER BY hashint8extended(i * 32 + k, 99) LIMIT tag_counts[1 + r[5] % 6])
             AS tags,
           CASE WHEN r[6] % 10 < 8 THEN
             (extract(epoch FROM timestamp '2026-12-01') * 1000)::bigint
             + (r[7] % 365) * 86400000 + hours[1 + r[8] % 5] * 3600000::bigint
           END AS due_at,
           (extract(epoch FROM timestamp '2026-01-01') * 1000)::bigint + i * 1000 AS created_at
    FROM drawn
  )
  INSERT INTO tasks (user_id, created_at, title, description, status, priority, tags, due_at,
                     time_zone, updated_at, completed_at, version, reminders, recurrence_rrule,
                     recurrence_mode, series_id, series_start, occurrence_index, search)
  SELECT p_user, created_at, title, description, 0, priority, tags, due_at, 'Europe/Berlin',
         created_at, NULL, 1, '', NULL, NULL, NULL, NULL, NULL,
         tickler_seed_search_vector(title, description, tags)
  FROM built ORDER BY i;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION tickler_seed_check() RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT count(*) FROM tasks
  WHERE search <> tickler_seed_search_vector(title, description, tags)
$$;
