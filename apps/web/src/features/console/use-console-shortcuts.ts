/**
 * The console's keyboard shortcuts. Each one presses a button that is on screen (the line's Answer,
 * End call, Hold or Resume, Transfer…), so it goes through the same guards as a click (busy buttons,
 * the double-click guard) and does nothing when that button is not offered.
 */
import { type RefObject, useEffect, useRef } from 'react';
import { isShortcutPress } from '../../components/ui/keyboard.ts';

export interface Shortcut {
  /** As printed on the key (and in aria-keyshortcuts). */
  key: string;
  description: string;
}

export const CONSOLE_SHORTCUTS: readonly Shortcut[] = [
  { key: 'A', description: 'Answer the ringing call' },
  { key: 'E', description: 'End the call (or cancel the one being dialled)' },
  { key: 'H', description: 'Hold or resume the call' },
  { key: 'N', description: 'Go to the Number field' },
  { key: 'T', description: 'Transfer the call: opens Transfer… to choose who' },
  { key: '?', description: 'Show these shortcuts' },
];

const LINE_SHORTCUTS: Record<string, string> = { a: 'answer', e: 'end', h: 'hold', t: 'transfer' };

/** The first button for a shortcut that is shown (the line panels or, on a small screen, the call bar). */
function shownButton(root: HTMLElement, shortcut: string): HTMLButtonElement | undefined {
  return [...root.querySelectorAll<HTMLButtonElement>(`button[data-shortcut="${shortcut}"]`)].find(
    (b) => b.getClientRects().length > 0,
  );
}

export function useConsoleShortcuts(
  root: RefObject<HTMLElement | null>,
  numberField: RefObject<HTMLInputElement | null>,
  enabled: boolean,
): void {
  const refs = useRef({ root, numberField });
  refs.current = { root, numberField };
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => {
      if (event.shiftKey || !isShortcutPress(event)) return;
      const container = refs.current.root.current;
      if (!container) return;
      const key = event.key.toLowerCase();
      const lineShortcut = LINE_SHORTCUTS[key];
      if (lineShortcut) {
        const button = shownButton(container, lineShortcut);
        if (!button) return;
        event.preventDefault();
        button.click();
        return;
      }
      if (key === 'n') {
        // preventDefault: the letter itself must not land in the field it focuses.
        event.preventDefault();
        refs.current.numberField.current?.focus();
      }
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [enabled]);
}
