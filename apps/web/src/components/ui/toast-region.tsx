import { dismissToast, type Toast, useToasts } from '../../lib/toasts.ts';

const KIND_STYLE: Record<Toast['kind'], string> = {
  success: 'border-green-600/50 bg-green-50 text-green-950 dark:bg-green-950 dark:text-green-50',
  info: 'border-blue-600/50 bg-blue-50 text-blue-950 dark:bg-blue-950 dark:text-blue-50',
  error: 'border-red-600/60 bg-red-50 text-red-950 dark:bg-red-950 dark:text-red-50',
};

function ToastItem({ toast }: { toast: Toast }) {
  return (
    <li
      className={`pointer-events-auto flex items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg ${KIND_STYLE[toast.kind]}`}
    >
      <div className="min-w-0 flex-1">
        <p className="font-medium">{toast.message}</p>
        {toast.detail && <p className="mt-0.5 text-xs opacity-80">{toast.detail}</p>}
      </div>
      <button
        type="button"
        onClick={() => dismissToast(toast.id)}
        className="-m-2 inline-flex size-11 shrink-0 items-center justify-center rounded opacity-70 hover:opacity-100"
        aria-label="Dismiss"
      >
        <span aria-hidden="true">✕</span>
      </button>
    </li>
  );
}

/**
 * Outcomes of commands. Two live regions, always in the page so screen readers
 * hear additions: successes politely, errors at once. Where they sit keeps them
 * off the console's keypad and call controls: at the top on narrow screens (the
 * call bar is at the bottom), bottom left on wide ones (dial pad and keypad are
 * the right-hand column).
 */
export function ToastRegion() {
  const toasts = useToasts();
  const errors = toasts.filter((t) => t.kind === 'error');
  const others = toasts.filter((t) => t.kind !== 'error');
  return (
    <section
      aria-label="Notifications"
      className="pointer-events-none fixed inset-x-0 top-0 z-50 flex flex-col items-center gap-2 p-2 lg:top-auto lg:right-auto lg:bottom-0 lg:items-start lg:p-4"
    >
      <ul aria-live="polite" aria-relevant="additions text" className="flex w-full max-w-sm flex-col gap-2">
        {others.map((t) => (
          <ToastItem key={t.id} toast={t} />
        ))}
      </ul>
      <ul
        aria-live="assertive"
        aria-relevant="additions text"
        className="flex w-full max-w-sm flex-col gap-2"
      >
        {errors.map((t) => (
          <ToastItem key={t.id} toast={t} />
        ))}
      </ul>
    </section>
  );
}
