/** Whether a key press is someone typing (a text field, a select, an editable element): shortcuts stay out of it. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color'].includes(target.type);
  }
  return false;
}

/**
 * A plain key press a page-wide shortcut may take: not typed into a field, no Ctrl/Alt/Meta (the
 * browser's and the system's own shortcuts), not held down, not while a modal dialog is open.
 */
export function isShortcutPress(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return false;
  if (isTextEntry(event.target)) return false;
  return document.querySelector('dialog[open]') === null;
}
