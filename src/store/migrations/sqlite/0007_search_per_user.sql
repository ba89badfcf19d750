-- Search per user: tasks_fts becomes contentless and keyed by user (store/sqlite/search_index.hpp).
-- Each field reaches the tokenizer as "<user id>\x1f<text>" and is indexed as
-- "<user id in 10 digits>:<token>", so a search reads only its user's postings. The key has a
-- fixed length (11 characters), so the prefix indexes hold the first 1–6 characters of words:
-- a search word of up to 6 characters reads one doclist, as an exact word does, instead of
-- merging those of every word it begins. A contentless table is deleted from with the values
-- it was given, which the triggers hold (old.*).
DROP TRIGGER tasks_fts_insert;
DROP TRIGGER tasks_fts_delete;
DROP TRIGGER tasks_fts_update;
DROP TABLE tasks_fts;

CREATE VIRTUAL TABLE tasks_fts USING fts5(
  title, description, tags,
  content = '',
  tokenize = 'tickler_user',
  prefix = '12 13 14 15 16 17'
);
CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
  INSERT INTO tasks_fts (rowid, title, description, tags)
  VALUES (new.id, new.user_id || char(31) || new.title, new.user_id || char(31) || new.description,
          new.user_id || char(31) || new.tags);
END;
CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description, tags)
  VALUES ('delete', old.id, old.user_id || char(31) || old.title,
          old.user_id || char(31) || old.description, old.user_id || char(31) || old.tags);
END;
CREATE TRIGGER tasks_fts_update AFTER UPDATE OF title, description, tags ON tasks BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description, tags)
  VALUES ('delete', old.id, old.user_id || char(31) || old.title,
          old.user_id || char(31) || old.description, old.user_id || char(31) || old.tags);
  INSERT INTO tasks_fts (rowid, title, description, tags)
  VALUES (new.id, new.user_id || char(31) || new.title, new.user_id || char(31) || new.description,
          new.user_id || char(31) || new.tags);
END;

INSERT INTO tasks_fts (rowid, title, description, tags)
SELECT id, user_id || char(31) || title, user_id || char(31) || description,
       user_id || char(31) || tags
FROM tasks;
