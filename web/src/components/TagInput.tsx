// Tags as removable chips, with autocomplete from the user's tags (GET /api/tags). Enter, comma
// or space adds the typed tag; Backspace in the empty field removes the last one.
import { useId, useState, type KeyboardEvent } from 'react';
import type { TagCount } from '../api/types';

interface Props {
  tags: string[];
  known: TagCount[];
  onChange: (tags: string[]) => void;
}

export function normalizeTag(raw: string): string {
  return raw.trim().replace(/^#/, '').replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function TagInput({ tags, known, onChange }: Props) {
  const [text, setText] = useState('');
  const listId = useId();
  const inputId = useId();
  const add = (raw: string) => {
    const tag = normalizeTag(raw);
    if (tag && !/[\s,#]/.test(tag) && !tags.includes(tag)) onChange([...tags, tag]);
    setText('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if ((e.key === 'Enter' || e.key === ',' || e.key === ' ') && text.trim()) {
      e.preventDefault();
      add(text);
    } else if (e.key === 'Backspace' && !text && tags.length) {
      onChange(tags.slice(0, -1));
    }
  };
  const suggestions = known.filter((k) => !tags.includes(k.tag));
  return (
    <div className="field">
      <label htmlFor={inputId}>Tags</label>
      <div className="tag-input">
        {tags.map((t) => (
          <span key={t} className="tag chip">
            #{t}
            <button type="button" aria-label={`Remove tag ${t}`} onClick={() => onChange(tags.filter((x) => x !== t))}>
              ×
            </button>
          </span>
        ))}
        <input
          id={inputId}
          list={listId}
          value={text}
          placeholder={tags.length ? '' : 'home, work…'}
          onChange={(e) => {
            const v = e.target.value;
            // Picking a suggestion from the list fills the whole value: take it at once.
            if (suggestions.some((s) => s.tag === v)) add(v);
            else setText(v);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => text.trim() && add(text)}
          autoComplete="off"
        />
        <datalist id={listId}>
          {suggestions.map((k) => (
            <option key={k.tag} value={k.tag} />
          ))}
        </datalist>
      </div>
    </div>
  );
}
