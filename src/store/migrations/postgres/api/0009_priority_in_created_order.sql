-- Each priority's tasks in created order, behind their owner: a priority filter in the default
-- order walks the wanted priorities' entries, one index scan each, merged in created order
-- (store/postgres/task_query_sql.hpp, build_priority_walk), instead of the user's tasks in
-- created order — which read every recent task of another priority before a hit, however many.
-- tasks_by_priority (user_id, priority, id) stays: it is the sort by priority's index.
CREATE INDEX tasks_by_priority_created ON tasks (user_id, priority, created_at, id);
