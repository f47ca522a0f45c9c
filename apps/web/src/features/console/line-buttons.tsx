import { Button } from '../../components/ui/button.tsx';
import type { LineAction } from './line-actions.ts';
import { SHORTCUT_KEYS } from './use-line-commands.ts';

/** Transfer… on a line card and in the phone-size call bar; the console's T shortcut presses it. */
export function TransferButton({ onClick, className }: { onClick: () => void; className: string }) {
  return (
    <Button
      size="lg"
      variant="secondary"
      className={className}
      data-shortcut="transfer"
      aria-keyshortcuts={SHORTCUT_KEYS.transfer}
      onClick={onClick}
    >
      Transfer…
    </Button>
  );
}

/** A line's action buttons; `data-shortcut` lets the console's keyboard shortcuts press them. */
export function LineButtons({
  actions,
  pendingDone,
  run,
  className,
}: {
  actions: readonly LineAction[];
  pendingDone: string | undefined;
  run: (action: LineAction) => void;
  className: string;
}) {
  return (
    <div className={className}>
      {actions.map((action) => (
        <Button
          key={action.label}
          size="lg"
          variant={action.variant}
          className="min-w-28 flex-1 sm:flex-none"
          data-shortcut={action.shortcut}
          aria-keyshortcuts={action.shortcut ? SHORTCUT_KEYS[action.shortcut] : undefined}
          pending={pendingDone === action.done}
          blocked={pendingDone !== undefined && pendingDone !== action.done}
          onClick={() => run(action)}
        >
          {action.label}
        </Button>
      ))}
    </div>
  );
}
