// What the API refused, in words a person reads without knowing the field names: "The title is
// too long (231 of 200 characters)." instead of "title: must be 1–200 characters after trimming".
import { ApiError } from '../api/client';

export const MAX_TITLE = 200;

const LABEL: Record<string, string> = {
  title: 'title',
  description: 'description',
  tags: 'tags',
  priority: 'priority',
  due_at: 'due date',
  due: 'due date',
  time_zone: 'time zone',
  reminders: 'reminders',
  recurrence: 'repeat rule',
  quick: 'text',
  status: 'status',
  name: 'name',
  email: 'email',
  password: 'password',
};

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const s = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : s + '.';
}

// The title rule in plain words, from its length in characters.
export function titleProblem(length: number): string | null {
  if (length === 0) return 'The task needs a title.';
  if (length > MAX_TITLE) return `The title is too long (${length} of ${MAX_TITLE} characters).`;
  return null;
}

function fieldProblem(field: string, problem: string, details: Record<string, unknown>): string {
  const root = field.split(/[.[]/)[0] ?? field;
  if (root === 'title' && /characters after trimming/.test(problem)) {
    const length = typeof details['length'] === 'number' ? details['length'] : null;
    if (length !== null) return titleProblem(length) ?? 'The title is too long.';
    return 'The title must be 1 to 200 characters long.';
  }
  if (root === 'recurrence' && /needs a due_at/.test(problem)) {
    return 'A repeating task needs a due date. Set one, or choose “Does not repeat”.';
  }
  if (root === 'quick' && /needs a title/.test(problem)) {
    return 'Type what the task is, not only tags and a priority.';
  }
  if (root === 'quick' && /at most 500/.test(problem)) return 'That is too long: at most 500 characters.';
  if (root === 'description' && /at most 1000/.test(problem)) {
    return 'The description is too long (at most 1000 characters).';
  }
  if (root === 'time_zone') return 'That time zone is unknown. Pick one from the list, like Europe/Berlin.';
  const label = LABEL[root] ?? root.replace(/_/g, ' ');
  // "must be …", "must not …", "is …" read after "The <label>"; anything else after a colon.
  if (/^(must|is|needs|has)\b/.test(problem)) return sentence(`The ${label} ${problem}`);
  return sentence(`${label}: ${problem}`);
}

// A message for any failure of an API call.
export function plainError(e: unknown, fallback = 'Something went wrong. Please try again.'): string {
  if (e instanceof ApiError) {
    const problem = e.details['problem'];
    if (e.field && typeof problem === 'string') return fieldProblem(e.field, problem, e.details);
    if (e.status === 429) return 'Too many requests. Wait a moment and try again.';
    if (e.status >= 500 && !e.message) return 'The server could not do this just now. Please try again.';
    return e.message || fallback;
  }
  if (e instanceof Error && e.message) return e.message;
  return fallback;
}
