// Keyboard shortcuts and quick-add phrases.
import { Dialog } from './Dialog';

export const SHORTCUTS: [string, string][] = [
  ['n', 'New task (quick add)'],
  ['/', 'Search'],
  ['j / k', 'Next / previous task'],
  ['x', 'Complete or reopen the selected task'],
  ['e', 'Edit the selected task'],
  ['h', 'History of the selected task'],
  ['Delete', 'Delete the selected task (with undo)'],
  ['c', 'Chat with the assistant'],
  ['?', 'This help'],
  ['Esc', 'Close a dialog, leave a field'],
];

export function HelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <dl className="shortcuts">
        {SHORTCUTS.map(([k, v]) => (
          <div key={k}>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <h3>Quick add</h3>
      <p className="muted">
        Type naturally: “Call mom tomorrow 6pm #family !high”, “Pay rent every month on the 1st at
        9am”, “Stand-up every weekday at 9:30 remind me 5 min before”, “Water plants every! 3 days”.
        Text in double quotes is kept as written: “"Meet on Friday" tomorrow”.
      </p>
    </Dialog>
  );
}
