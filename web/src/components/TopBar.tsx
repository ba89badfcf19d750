// The top bar: brand, live-connection state, the assistant, notifications (with the unread
// count), help, settings, the signed-in user and log out.
import type { User } from '../api/types';
import type { LiveState } from '../lib/live';
import { BellIcon, ChatIcon, GearIcon } from './Icons';

interface Props {
  user: User;
  live: LiveState;
  unread: number;
  onNotifications: () => void;
  onHelp: () => void;
  chatOpen: boolean;
  onChat: () => void;
  onSettings: () => void;
  onLogout: () => void;
}

const LIVE_TEXT: Record<LiveState, string> = {
  open: 'Live',
  connecting: 'Connecting…',
  offline: 'Reconnecting…',
};

export function TopBar({ user, live, unread, onNotifications, onHelp, chatOpen, onChat, onSettings, onLogout }: Props) {
  return (
    <header className="topbar">
      <p className="brand">
        <span className="brand-mark" aria-hidden="true">
          ✓
        </span>{' '}
        Tickler
      </p>
      <span className={`live live-${live}`} role="status" title="Live updates">
        <span className="visually-hidden">Live updates: </span>
        {LIVE_TEXT[live]}
      </span>
      <nav className="topbar-actions" aria-label="Account">
        <button
          type="button"
          className="ghost chat-button"
          onClick={onChat}
          aria-expanded={chatOpen}
          aria-controls={chatOpen ? 'chat-panel' : undefined}
          aria-keyshortcuts="c"
          title="Assistant (c)"
        >
          <ChatIcon />
          <span className="chat-button-text">Assistant</span>
        </button>
        <button
          type="button"
          className="bell-button"
          onClick={onNotifications}
          aria-label={`Notifications, ${unread} unread`}
        >
          <BellIcon />
          {unread > 0 && (
            <span className="badge" aria-hidden="true">
              {unread}
            </span>
          )}
        </button>
        <button type="button" className="ghost" onClick={onHelp} aria-label="Keyboard shortcuts">
          ?
        </button>
        <button type="button" className="ghost" onClick={onSettings} aria-label="Settings" title="Settings">
          <GearIcon />
        </button>
        <span className="who" title={user.email}>
          {user.name || user.email}
        </span>
        <button type="button" className="ghost" onClick={onLogout}>
          Log out
        </button>
      </nav>
    </header>
  );
}
