import { type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes, useId } from 'react';

interface FrameProps {
  label: string;
  /** Why the value is refused; shown under the field and tied to it (aria-describedby). */
  error?: string | undefined;
  hint?: ReactNode;
  id?: string | undefined;
  className?: string | undefined;
}

export interface FieldProps extends InputHTMLAttributes<HTMLInputElement>, FrameProps {}
export interface TextAreaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement>, FrameProps {}

/** Label above, hint and error below, both tied to the control it renders. */
function FieldFrame({
  label,
  error,
  hint,
  id,
  className = '',
  control,
}: FrameProps & { control: (ids: { id: string; describedBy: string | undefined }) => ReactNode }) {
  const autoId = useId();
  const controlId = id ?? autoId;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={controlId} className="font-medium text-sm">
        {label}
      </label>
      {control({ id: controlId, describedBy })}
      {hint && (
        <p id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled text input with its hint and error. */
export function Field({ label, error, hint, id, className, ...rest }: FieldProps) {
  return (
    <FieldFrame
      {...{ label, error, hint, id, className }}
      control={(ids) => (
        <input
          id={ids.id}
          aria-invalid={error ? true : undefined}
          aria-describedby={ids.describedBy}
          {...rest}
        />
      )}
    />
  );
}

/** A labelled text area (pasted text: certificates, lists) with its hint and error. */
export function TextAreaField({ label, error, hint, id, className, ...rest }: TextAreaFieldProps) {
  return (
    <FieldFrame
      {...{ label, error, hint, id, className }}
      control={(ids) => (
        <textarea
          id={ids.id}
          aria-invalid={error ? true : undefined}
          aria-describedby={ids.describedBy}
          {...rest}
        />
      )}
    />
  );
}
