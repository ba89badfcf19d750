import type { Task } from '../api/types';

let nextId = 1;

// A task as the API answers it, with the given fields changed.
export function task(fields: Partial<Task> = {}): Task {
  const id = fields.id ?? nextId++;
  return {
    id,
    title: `Task ${id}`,
    description: '',
    status: 'pending',
    priority: 'none',
    tags: [],
    due_at: null,
    time_zone: 'UTC',
    reminders: [],
    recurrence: null,
    created_at: new Date(Date.UTC(2026, 10, 1) + id * 1000).toISOString(),
    updated_at: '2026-11-01T00:00:00.000Z',
    completed_at: null,
    version: 1,
    ...fields,
  };
}
