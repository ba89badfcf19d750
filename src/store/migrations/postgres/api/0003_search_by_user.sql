-- Search and tag filters read the entries of one user only: the GIN indexes hold each lexeme and
-- each tag under its owner's id ('42:rent', '42/home') instead of one posting list per word
-- shared by every user, so a search's cost does not grow with other users' tasks. The keys are
-- computed from the columns (nothing else is stored per task): building the indexes converts
-- the existing rows. A listing finds candidates by key and tests `search @@ query` itself (the
-- store's search_key_query and search_query, store/postgres/search_terms.hpp).
--
-- COST: a listing must never evaluate these per row of a scan (only the GIN index avoids it),
-- so they are costed far above their real price. PARALLEL UNSAFE: a listing reads at most a few
-- thousand rows, where a parallel plan only adds the start of its workers.
CREATE FUNCTION task_search_keys(owner bigint, search tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL UNSAFE COST 100 AS $$
  SELECT pg_catalog.array_to_tsvector(ARRAY(
    SELECT CASE WHEN pg_catalog.octet_length(key) <= 2046 THEN key
                -- a key past PostgreSQL's lexeme limit, cut on a character boundary
                ELSE (SELECT pg_catalog.left(key, n) FROM pg_catalog.generate_series(2046, 1, -1) AS n
                      WHERE pg_catalog.octet_length(pg_catalog.left(key, n)) <= 2046 LIMIT 1) END
    FROM (SELECT owner::text || ':' || lexeme AS key
          FROM pg_catalog.unnest(pg_catalog.tsvector_to_array(search)) AS lexeme) AS keys))
$$;

CREATE FUNCTION task_tag_keys(owner bigint, tags text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL UNSAFE COST 100 AS $$
  SELECT ARRAY(SELECT owner::text || '/' || tag FROM pg_catalog.unnest(tags) AS tag)
$$;

DROP INDEX tasks_search;
DROP INDEX tasks_by_tags;
-- fastupdate off: no pending list, which every search would read whole, whoever wrote it.
CREATE INDEX tasks_search_by_user ON tasks USING gin (task_search_keys(user_id, search))
  WITH (fastupdate = off);
CREATE INDEX tasks_tags_by_user ON tasks USING gin (task_tag_keys(user_id, tags))
  WITH (fastupdate = off);
