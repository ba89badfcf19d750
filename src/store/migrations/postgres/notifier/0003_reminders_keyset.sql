-- The notifier pages scheduled reminders into its scheduler in (remind_at, id) order, from the
-- last position it loaded (keyset). Ids compare in byte order, as in SQLite. This index also
-- serves the sweep's remind_at <= now, so it replaces reminders_due.
CREATE INDEX reminders_keyset ON reminders (remind_at, id COLLATE "C") WHERE state = 'scheduled';
DROP INDEX reminders_due;
