import { useEffect, useSyncExternalStore } from 'react';
import { Button } from './button.tsx';
import { Dialog } from './dialog.tsx';
import { isShortcutPress } from './keyboard.ts';

export interface ShortcutEntry {
  key: string;
  description: string;
}

// Open from anywhere (a "Keyboard shortcuts" button, the `?` key): one dialog, one flag.
let open = false;
const listeners = new Set<() => void>();
function setOpen(next: boolean): void {
  open = next;
  for (const listener of listeners) listener();
}
export function openShortcuts(): void {
  setOpen(true);
}
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "Keyboard shortcuts": the list, opened with `?` (never while typing in a field) or `openShortcuts()`. */
export function ShortcutsDialog({ shortcuts, note }: { shortcuts: readonly ShortcutEntry[]; note: string }) {
  const isOpen = useSyncExternalStore(subscribe, () => open);
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.key !== '?' || !isShortcutPress(event)) return;
      event.preventDefault();
      setOpen(true);
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
  return (
    <Dialog open={isOpen} onClose={() => setOpen(false)} title="Keyboard shortcuts" description={note}>
      <dl className="grid grid-cols-[auto_1fr] items-center gap-x-4 gap-y-2 text-sm">
        {shortcuts.map((s) => (
          <div key={s.key} className="contents">
            <dt>
              <kbd className="inline-flex min-w-8 justify-center rounded border border-zinc-300 bg-zinc-100 px-2 py-0.5 font-mono font-semibold dark:border-zinc-600 dark:bg-zinc-800">
                {s.key}
              </kbd>
            </dt>
            <dd>{s.description}</dd>
          </div>
        ))}
      </dl>
      <div className="flex justify-end">
        <Button onClick={() => setOpen(false)}>Close</Button>
      </div>
    </Dialog>
  );
}
