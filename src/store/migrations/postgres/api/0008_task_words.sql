-- Each task's words behind its owner, in a B-tree: task_words holds one row per task and lexeme of
-- its search vector (the tokens search_terms.cpp writes, each at most 2,046 bytes), with the
-- task's created_at, under one index (user_id, word, created_at, task_id). A word of a search is
-- a range of it (a prefix: word >= 'pa' AND word < 'pb'), so
-- - a capped count of a word's tasks is an index-only range scan that stops at its LIMIT (the
--   GIN index of api/0003 returned the whole posting list, however small the LIMIT: a count
--   to learn that "pay" is over 2,000 read its 50,000 postings);
-- - a word's tasks in created order are one index scan per distinct word of the range, merged:
--   a search in the default order walks its word's entries instead of the user's tasks
--   (store/postgres/task_query_sql.hpp), however many recent tasks lack the word.
-- The listing still tests `search @@ query` on every row it reads (phrases, every word), so the
-- table only has to hold every word of every task. COLLATE "C": ranges compare bytes, which is
-- code point order in UTF-8 (the store's prefix bounds are computed that way).
--
-- Triggers keep the rows, as task_tags' do: every write of a task, whoever makes it, writes its
-- word rows in the same transaction. A task whose search vector, owner or created_at changes has
-- the words it lost deleted and those it gained inserted; a completion changes none of them.
-- The GIN index of api/0003 is no longer read by any listing: dropped with its key function.
CREATE TABLE task_words (
  user_id    bigint NOT NULL,
  word       text COLLATE "C" NOT NULL,
  created_at bigint NOT NULL,
  task_id    bigint NOT NULL
);

INSERT INTO task_words (user_id, word, created_at, task_id)
SELECT t.user_id, w.word, t.created_at, t.id
FROM tasks t CROSS JOIN LATERAL pg_catalog.unnest(pg_catalog.tsvector_to_array(t.search)) AS w(word);

CREATE UNIQUE INDEX task_words_by_word ON task_words (user_id, word, created_at, task_id);

DROP INDEX tasks_search_by_user;
DROP FUNCTION task_search_keys(bigint, tsvector);

CREATE FUNCTION task_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_words (user_id, word, created_at, task_id)
  SELECT NEW.user_id, w, NEW.created_at, NEW.id
  FROM pg_catalog.unnest(pg_catalog.tsvector_to_array(NEW.search)) AS w;
  RETURN NULL;
END
$$;

-- The old rows are found by the index: (user_id, word, created_at, task_id) are all known.
CREATE FUNCTION task_words_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_words
  WHERE user_id = OLD.user_id AND word = ANY (pg_catalog.tsvector_to_array(OLD.search))
    AND created_at = OLD.created_at AND task_id = OLD.id;
  RETURN NULL;
END
$$;

-- An edit of the title or description keeps most words: only the difference is written.
CREATE FUNCTION task_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.user_id = NEW.user_id AND OLD.created_at = NEW.created_at AND OLD.id = NEW.id THEN
    DELETE FROM task_words
    WHERE user_id = OLD.user_id AND created_at = OLD.created_at AND task_id = OLD.id
      AND word = ANY (ARRAY(SELECT pg_catalog.unnest(pg_catalog.tsvector_to_array(OLD.search))
                            EXCEPT
                            SELECT pg_catalog.unnest(pg_catalog.tsvector_to_array(NEW.search))));
    INSERT INTO task_words (user_id, word, created_at, task_id)
    SELECT NEW.user_id, w, NEW.created_at, NEW.id
    FROM (SELECT pg_catalog.unnest(pg_catalog.tsvector_to_array(NEW.search))
          EXCEPT
          SELECT pg_catalog.unnest(pg_catalog.tsvector_to_array(OLD.search))) AS gained(w);
  ELSE
    DELETE FROM task_words
    WHERE user_id = OLD.user_id AND word = ANY (pg_catalog.tsvector_to_array(OLD.search))
      AND created_at = OLD.created_at AND task_id = OLD.id;
    INSERT INTO task_words (user_id, word, created_at, task_id)
    SELECT NEW.user_id, w, NEW.created_at, NEW.id
    FROM pg_catalog.unnest(pg_catalog.tsvector_to_array(NEW.search)) AS w;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_words_on_insert AFTER INSERT ON tasks
  FOR EACH ROW WHEN (pg_catalog.length(NEW.search) > 0) EXECUTE FUNCTION task_words_insert();
CREATE TRIGGER task_words_on_delete AFTER DELETE ON tasks
  FOR EACH ROW WHEN (pg_catalog.length(OLD.search) > 0) EXECUTE FUNCTION task_words_delete();
CREATE TRIGGER task_words_on_update AFTER UPDATE ON tasks
  FOR EACH ROW WHEN (OLD.search IS DISTINCT FROM NEW.search OR OLD.user_id <> NEW.user_id
                     OR OLD.created_at <> NEW.created_at OR OLD.id <> NEW.id)
  EXECUTE FUNCTION task_words_update();
