-- The sort indexes also hold priority and status (after the id, so the order is unchanged): a
-- listing that walks one with those filters tests them on the index entry and reads the task
-- row only for entries that pass, so a filter matching few tasks costs index entries, not rows.
DROP INDEX tasks_by_due;
DROP INDEX tasks_by_priority;
DROP INDEX tasks_by_title;
DROP INDEX tasks_by_created;
CREATE INDEX tasks_by_due      ON tasks (user_id, due_sort, id, priority, status);
CREATE INDEX tasks_by_priority ON tasks (user_id, priority, id, status);
CREATE INDEX tasks_by_title    ON tasks (user_id, title COLLATE NOCASE, id, priority, status);
CREATE INDEX tasks_by_created  ON tasks (user_id, created_at, id, priority, status);
