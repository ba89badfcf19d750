-- Each tag's entries of each priority in created order, behind their owner: a tag and a priority
-- filter in the default order walk the wanted priorities' entries of the first tag, one index
-- scan each, merged in created order (store/postgres/task_query_sql.hpp, build_priority_walk),
-- as 0009 does without a tag — instead of every entry of the tag, the priority tested on each.
-- task_tags_by_priority (user_id, tag, priority, task_id) stays: it is the sort by priority's.
CREATE INDEX task_tags_by_priority_created ON task_tags (user_id, tag, priority, created_at, task_id);
