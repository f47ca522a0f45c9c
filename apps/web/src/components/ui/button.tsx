import type { ButtonHTMLAttributes, MouseEvent } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'success' | 'ghost';

const VARIANTS: Record<ButtonVariant, string> = {
  primary:
    'bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-500 dark:text-zinc-950 dark:hover:bg-blue-400',
  secondary:
    'border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-100 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-50 dark:hover:bg-zinc-700',
  danger: 'bg-red-700 text-white hover:bg-red-800 dark:bg-red-500 dark:text-zinc-950 dark:hover:bg-red-400',
  success:
    'bg-green-700 text-white hover:bg-green-800 dark:bg-green-500 dark:text-zinc-950 dark:hover:bg-green-400',
  ghost: 'text-zinc-700 hover:bg-zinc-200 dark:text-zinc-200 dark:hover:bg-zinc-800',
};

// Below `sm` (phone-sized screens) every button is at least 44 px each way: a thumb's target.
const SIZES = {
  sm: 'min-h-8 px-2.5 text-sm max-sm:min-h-11 max-sm:min-w-11',
  md: 'min-h-10 px-4 text-sm max-sm:min-h-11 max-sm:min-w-11',
  lg: 'min-h-12 px-5 text-base',
} as const;

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: keyof typeof SIZES;
  /** The command behind the button is running: shown, announced (aria-busy) and further clicks ignored. */
  pending?: boolean;
  /** Another command it depends on is running: clicks are ignored, but the button stays focusable. */
  blocked?: boolean;
}

/**
 * A button that shows when its command is running. While pending (or blocked)
 * it is `aria-disabled` rather than `disabled`, so keyboard focus stays on it
 * and can move to it: a `disabled` button cannot take focus.
 */
export function Button({
  variant = 'secondary',
  size = 'md',
  pending = false,
  blocked = false,
  disabled,
  className = '',
  children,
  onClick,
  type = 'button',
  ...rest
}: ButtonProps) {
  const inactive = pending || blocked || disabled;
  const handleClick = (event: MouseEvent<HTMLButtonElement>) => {
    if (pending || blocked) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  };
  return (
    <button
      type={type}
      disabled={disabled}
      aria-disabled={inactive || undefined}
      aria-busy={pending || undefined}
      onClick={handleClick}
      className={`inline-flex select-none items-center justify-center gap-2 rounded-lg font-medium transition-colors ${SIZES[size]} ${VARIANTS[variant]} ${inactive ? 'cursor-not-allowed opacity-60' : 'cursor-pointer'} ${className}`}
      {...rest}
    >
      {pending && <Spinner />}
      {children}
    </button>
  );
}

export function Spinner({ className = 'size-4' }: { className?: string }) {
  return (
    <svg className={`animate-spin ${className}`} viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.3" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}
