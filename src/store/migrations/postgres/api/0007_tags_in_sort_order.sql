-- Each tag's tasks in every sort order: task_tags holds one row per (task, tag) with a copy of
-- the task's sort keys and priority, and an index per sort key that leads with (user_id, tag),
-- as tasks has one per sort key that leads with user_id. A listing filtered by a tag walks that
-- tag's entries (an index-only scan), tests the priority on each entry and reads from tasks only
-- the entries that pass (store/postgres/task_query_sql.hpp): a tag on 6 % of a user's tasks
-- costs a page's worth of its entries, not 1 / 0.06 of the user's sort index with a row read
-- for each. SQLite's migration 0011 does this for the created order only; here every sort key
-- has its index (each tag's rows are few beside the tasks, and most creates carry one or two).
--
-- Triggers keep the rows: every write of a task, whoever makes it (the store, a migration,
-- bench/pg_seed.sql, psql), writes its tag rows in the same transaction. A task whose tags,
-- priority, title or due date change has its rows rewritten; a completion changes none of
-- them, so it writes none.
CREATE TABLE task_tags (
  user_id    bigint NOT NULL,
  tag        text NOT NULL,
  task_id    bigint NOT NULL,
  created_at bigint NOT NULL,
  due_sort   bigint NOT NULL,
  title_key  text COLLATE "C" NOT NULL,
  priority   smallint NOT NULL
);

INSERT INTO task_tags (user_id, tag, task_id, created_at, due_sort, title_key, priority)
SELECT t.user_id, g.tag, t.id, t.created_at, t.due_sort, t.title_key, t.priority
FROM tasks t CROSS JOIN LATERAL (SELECT DISTINCT tag FROM unnest(t.tags) AS tag) g;

CREATE INDEX task_tags_by_created  ON task_tags (user_id, tag, created_at, task_id) INCLUDE (priority);
CREATE INDEX task_tags_by_due      ON task_tags (user_id, tag, due_sort, task_id) INCLUDE (priority);
CREATE INDEX task_tags_by_title    ON task_tags (user_id, tag, title_key, task_id) INCLUDE (priority);
CREATE INDEX task_tags_by_priority ON task_tags (user_id, tag, priority, task_id);

CREATE FUNCTION task_tags_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_tags (user_id, tag, task_id, created_at, due_sort, title_key, priority)
  SELECT NEW.user_id, tag, NEW.id, NEW.created_at, NEW.due_sort, NEW.title_key, NEW.priority
  FROM (SELECT DISTINCT tag FROM pg_catalog.unnest(NEW.tags) AS tag) g;
  RETURN NULL;
END
$$;

-- The old rows are found by task_tags_by_priority: (user_id, tag, priority, task_id) are known.
CREATE FUNCTION task_tags_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_tags
  WHERE user_id = OLD.user_id AND tag = ANY (OLD.tags) AND priority = OLD.priority
    AND task_id = OLD.id;
  RETURN NULL;
END
$$;

CREATE FUNCTION task_tags_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_tags
  WHERE user_id = OLD.user_id AND tag = ANY (OLD.tags) AND priority = OLD.priority
    AND task_id = OLD.id;
  INSERT INTO task_tags (user_id, tag, task_id, created_at, due_sort, title_key, priority)
  SELECT NEW.user_id, tag, NEW.id, NEW.created_at, NEW.due_sort, NEW.title_key, NEW.priority
  FROM (SELECT DISTINCT tag FROM pg_catalog.unnest(NEW.tags) AS tag) g;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_tags_on_insert AFTER INSERT ON tasks
  FOR EACH ROW WHEN (NEW.tags <> '{}') EXECUTE FUNCTION task_tags_insert();
CREATE TRIGGER task_tags_on_delete AFTER DELETE ON tasks
  FOR EACH ROW WHEN (OLD.tags <> '{}') EXECUTE FUNCTION task_tags_delete();
CREATE TRIGGER task_tags_on_update AFTER UPDATE ON tasks
  FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags OR OLD.priority <> NEW.priority
                     OR OLD.title_key IS DISTINCT FROM NEW.title_key
                     OR OLD.due_sort <> NEW.due_sort OR OLD.user_id <> NEW.user_id
                     OR OLD.created_at <> NEW.created_at)
  EXECUTE FUNCTION task_tags_update();
