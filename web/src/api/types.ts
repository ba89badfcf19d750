// The shapes of the Tickler REST API (docs/api.md, GET /api/openapi.json).

export type Priority = 'high' | 'medium' | 'low' | 'none';
export type TaskStatus = 'pending' | 'completed';
export type RecurrenceMode = 'schedule' | 'completion';

export interface User {
  id: number;
  email: string;
  name: string;
  created_at: string;
}

export type Reminder = { before_minutes: number } | { at: string };

export interface Recurrence {
  rrule: string;
  mode: RecurrenceMode;
}

export interface Task {
  id: number;
  title: string;
  description: string;
  status: TaskStatus;
  priority: Priority;
  tags: string[];
  due_at: string | null;
  time_zone: string;
  reminders: Reminder[];
  recurrence: Recurrence | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  version: number;
  series_id?: number;
  series_start?: string;
  occurrence_index?: number;
}

// POST /api/tasks/{id}/reopen: the task, and what became of the next occurrence its completion
// had made: taken back when untouched, kept (and why) when changed or completed since.
export interface ReopenedTask extends Task {
  retracted_occurrence_id?: number;
  kept_occurrence_id?: number;
  kept_occurrence_reason?: 'changed' | 'completed';
}

// The fields a client sends on create and PATCH.
export interface TaskInput {
  title?: string;
  description?: string;
  priority?: Priority;
  tags?: string[];
  due_at?: string | null;
  time_zone?: string;
  reminders?: Reminder[];
  recurrence?: Recurrence | null;
}

export interface TaskPage {
  items: Task[];
  next_cursor: string | null;
}

export interface QuickPreview {
  title: string;
  tags: string[];
  priority: Priority;
  due_at: string | null;
  recurrence: Recurrence | null;
  reminders: { before_minutes: number }[];
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface Change {
  before: unknown;
  after: unknown;
}

export interface HistoryEntry {
  id: number;
  event_id: string;
  type: string;
  actor: string;
  at: string;
  changes: Record<string, Change>;
  request_id: string;
  hash: string;
}

export interface AppNotification {
  id: number;
  task_id: number;
  reminder_id?: string;
  title: string;
  remind_at: string;
  fired_at: string;
  read_at: string | null;
  deliveries?: DeliveryReceipt[]; // GET /api/notifications: one per channel
}

// A reminder's delivery on one channel (docs/notifications.md): a receipt.
export type DeliveryState = 'pending' | 'failed' | 'sent' | 'delivered' | 'dead';

export interface DeliveryReceipt {
  reminder_id: string;
  channel: string; // in_app, webhook, webhook:<id>, email, …
  state: DeliveryState;
  attempts: number;
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  next_attempt_at: string | null;
  last_error: string | null;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export type SortKey = 'due' | 'priority' | 'title' | 'created';
export type SortOrder = 'asc' | 'desc';

// GET /api/tasks parameters.
export interface TaskQuery {
  q?: string;
  status?: 'pending' | 'completed' | 'all';
  priority?: Priority[];
  tag?: string[];
  due_before?: string;
  due_after?: string;
  has_due?: boolean;
  sort?: SortKey;
  order?: SortOrder;
  limit?: number;
  cursor?: string;
}

// Messages of GET /api/ws.
export type LiveMessage =
  | { type: 'hello'; epoch: string; sequence: number }
  | { type: 'resync' }
  | {
      type: 'task';
      sequence: number;
      op: 'created' | 'updated' | 'completed' | 'reopened' | 'deleted';
      task: Task;
      version: number;
    }
  | { type: 'notification'; sequence: number; notification: LiveNotification };

// A fired reminder as the WebSocket carries it (the notifications topic's event data).
export interface LiveNotification {
  notification_id: number;
  task_id: number;
  reminder_id?: string;
  title: string;
  remind_at: string;
  fired_at: string;
}

// Personal API tokens (GET /api/tokens): never the secret, only its first characters.
export type TokenScope = 'tasks:read' | 'tasks:write';

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

// POST /api/tokens answers the secret once, in `token`.
export interface NewApiToken extends ApiToken {
  token: string;
}

// The chat assistant (docs/assistant.md). Actions are what a reply did or offers: a task card
// (open the task), one option of a numbered choice, or a yes/no question.
export type TaskChange =
  | 'added'
  | 'completed'
  | 'reopened'
  | 'updated'
  | 'deleted'
  | 'restored'
  | 'listed'
  | 'to_delete';

export interface ChatTaskRef {
  id: number;
  title: string;
  due_at: string | null;
  status: TaskStatus;
}

export type ChatAction =
  | ({ type: 'task'; change: TaskChange } & ChatTaskRef)
  | ({ type: 'choice'; number: number } & ChatTaskRef)
  | { type: 'confirm'; question: string; answers: string[] };

// What the next message should answer.
export type Awaiting = 'choice' | 'confirmation' | null;

export interface ChatReply {
  role: 'assistant';
  text: string;
  actions: ChatAction[];
  created_at: string;
}

// The `done` event of POST /api/chat (and its whole answer with Accept: application/json).
export interface ChatDone {
  conversation_id: string;
  message: ChatReply;
  awaiting: Awaiting;
}

export interface ConversationSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
}

export interface ConversationMessage {
  seq: number;
  role: 'user' | 'assistant';
  text: string;
  actions: ChatAction[];
  created_at: string;
}

// GET /api/conversations/{id}.
export interface Conversation extends ConversationSummary {
  awaiting: Awaiting;
  messages: ConversationMessage[];
}
