import { useEffect, useRef } from 'react';
import { isShortcutPress } from '../../components/ui/keyboard.ts';

const DIGITS = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#']);

/**
 * Digits typed anywhere on the page (outside text fields and dialogs) act like
 * the keypad's buttons. `*` and `#` come with Shift on most layouts, so Shift is allowed.
 */
export function useKeyboardDigits(onDigit: (digit: string) => void, enabled: boolean): void {
  const handler = useRef(onDigit);
  handler.current = onDigit;
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => {
      if (!DIGITS.has(event.key) || !isShortcutPress(event)) return;
      event.preventDefault();
      handler.current(event.key);
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [enabled]);
}
