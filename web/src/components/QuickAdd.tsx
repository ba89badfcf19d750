// The quick-add bar: one line of natural language, previewed live as the server reads it
// ("Pay rent · every month on the 1st at 09:00 · #home · high"), created on Enter. What the server
// refuses is said in plain words under the field ("The title is too long (231 of 200 characters).").
import { forwardRef, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { parseQuick } from '../api/endpoints';
import type { QuickPreview } from '../api/types';
import { plainError } from '../lib/errors';
import { previewParts } from '../lib/preview';

const DRAFT_KEY = 'tickler.quick-add';
const NEEDS_DUE = 'A reminder before the due time needs a due date: add one, like “tomorrow 9am”.';

// A "remind me … before" without a date or time would be saved but could never fire.
function waitsForDue(p: QuickPreview): boolean {
  return p.reminders.length > 0 && !p.due_at;
}

interface Props {
  zone: string;
  onAdd: (text: string) => Promise<void>;
  parse?: typeof parseQuick;
}

export const QuickAdd = forwardRef<HTMLInputElement, Props>(function QuickAdd(
  { zone, onAdd, parse = parseQuick },
  ref,
) {
  const [text, setText] = useState(() => sessionStorage.getItem(DRAFT_KEY) ?? '');
  const [preview, setPreview] = useState<QuickPreview | null>(null);
  const previewOf = useRef('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Cancels the preview in flight: a submit's answer must not be overwritten by a late preview.
  const cancelPreview = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (text) sessionStorage.setItem(DRAFT_KEY, text);
    else sessionStorage.removeItem(DRAFT_KEY);
    if (!text.trim()) {
      setPreview(null);
      setProblem(null);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      parse(text, zone, ctl.signal).then(
        (p) => {
          if (ctl.signal.aborted) return;
          previewOf.current = text;
          setPreview(p);
          setProblem(null);
        },
        (e: unknown) => {
          if (ctl.signal.aborted) return;
          setPreview(null);
          setProblem(e instanceof ApiError ? plainError(e) : null);
        },
      );
    }, 150);
    cancelPreview.current = () => {
      clearTimeout(timer);
      ctl.abort();
    };
    return cancelPreview.current;
  }, [text, zone, parse]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim() || busy) return;
    if (preview && previewOf.current === text && waitsForDue(preview)) {
      setProblem(NEEDS_DUE);
      return;
    }
    cancelPreview.current();
    setBusy(true);
    try {
      await onAdd(text);
      setText('');
    } catch (err) {
      setProblem(plainError(err, 'Could not add the task.'));
    } finally {
      setBusy(false);
    }
  };

  const parts = preview ? previewParts(preview, zone) : [];
  const shownProblem = problem ?? (preview && waitsForDue(preview) ? NEEDS_DUE : null);
  return (
    <form className="quick-add" onSubmit={submit} aria-label="Quick add">
      <label htmlFor="quick-add-input" className="visually-hidden">
        Add a task
      </label>
      <div className="quick-add-row">
        <input
          id="quick-add-input"
          ref={ref}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Add a task: Pay rent every month on the 1st at 9am #home !high"
          maxLength={500}
          autoComplete="off"
          aria-describedby="quick-add-preview"
          aria-invalid={shownProblem ? true : undefined}
        />
        <button className="primary" type="submit" disabled={!text.trim() || busy}>
          Add
        </button>
      </div>
      <p id="quick-add-preview" className="quick-preview" aria-live="polite" data-testid="quick-preview">
        {shownProblem ? (
          <span className="form-error">{shownProblem}</span>
        ) : (
          parts.map((p, i) => (
            <span key={i} className={i === 0 ? 'preview-title' : 'preview-part'}>
              {i > 0 && <span aria-hidden="true"> · </span>}
              {p}
            </span>
          ))
        )}
      </p>
    </form>
  );
});
