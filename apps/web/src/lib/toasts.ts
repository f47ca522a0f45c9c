/**
 * Toasts as a tiny store: anything (a mutation hook, a form) can say what
 * happened; components/ui/toast-region renders them in aria-live regions.
 */
import { useSyncExternalStore } from 'react';

export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  message: string;
  /** Small print, e.g. the request id an admin can look up. */
  detail?: string | undefined;
  /** A toast with the same key replaces the previous one (e.g. a run of keypad presses). */
  key?: string | undefined;
}

const SUCCESS_MS = 4000;
const ERROR_MS = 10_000;
// A few at most: older ones give way rather than pile up over the page.
const MAX_TOASTS = 3;

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function dismissToast(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function showToast(toast: Omit<Toast, 'id'>): number {
  const id = nextId++;
  const replaced = toast.key ? toasts.filter((t) => t.key === toast.key) : [];
  for (const old of replaced) {
    clearTimeout(timers.get(old.id));
    timers.delete(old.id);
  }
  toasts = [...toasts.filter((t) => !replaced.includes(t)), { ...toast, id }].slice(-MAX_TOASTS);
  timers.set(
    id,
    setTimeout(() => dismissToast(id), toast.kind === 'error' ? ERROR_MS : SUCCESS_MS),
  );
  emit();
  return id;
}

export const toast = {
  success: (message: string, options: { key?: string } = {}) =>
    showToast({ kind: 'success', message, ...options }),
  info: (message: string, options: { key?: string } = {}) => showToast({ kind: 'info', message, ...options }),
  error: (message: string, detail?: string) => showToast({ kind: 'error', message, detail }),
};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, () => toasts);
}
