import type { CallFlow, FlowResult, LineView } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { callerText } from '../../lib/caller.ts';
import { checkDialNumber } from '../../lib/dial-number.ts';
import { contactQueries, phoneQueries, stateQueries } from '../../lib/queries.ts';
import { toast } from '../../lib/toasts.ts';
import { flowErrorText } from './flow-errors.ts';
import { flowProgress, flowRunning, rememberTargetName, targetLabel } from './flow-text.ts';
import { useConference, useTransfer } from './flows-api.ts';
import { contactOptions, phoneOptions, type TargetOption } from './target-search.ts';

export type TargetKind = 'transfer' | 'conference';

interface TargetDialogProps {
  kind: TargetKind;
  phoneId: string;
  /** The caller's line. */
  line: LineView;
  /** The phone's lines and flow now: the dialog shows the progress while the server works. */
  lines: readonly LineView[];
  flow: CallFlow | null | undefined;
  open: boolean;
  onClose: () => void;
}

/**
 * The phone types a flow's target on its keypad, which has no "+" (the server refuses one): said here,
 * before anything is sent, with what to do instead.
 */
function keypadTarget(number: string, name: string): { number: string; name: string } | { problem: string } {
  if (!number.startsWith('+')) return { number, name };
  return {
    problem: `${name === number ? number : `${name} (${number})`} starts with +, which the phone's keypad cannot type: type the number with the international prefix instead (for example 00).`,
  };
}

/** The contacts and phones matching what is typed (contacts searched by the server, phones here). */
function useTargetOptions(phoneId: string, query: string, enabled: boolean): TargetOption[] {
  const contacts = useQuery({ ...contactQueries.search(query, 6), enabled: enabled && query.trim() !== '' });
  const phones = useQuery({ ...phoneQueries.list(), enabled });
  const states = useQuery({ ...stateQueries.all(), enabled });
  if (!query.trim()) return [];
  return [
    ...contactOptions(contacts.data?.contacts ?? []),
    ...phoneOptions(phones.data ?? [], states.data ?? [], query, phoneId),
  ];
}

/**
 * "Transfer…" and "Add to call…": one field that finds contacts and LineDeck's phones as you type (name,
 * extension, number) or takes any number; Transfer now (blind), Ask first (attended), or Add to call.
 * Native modal dialog: the page behind is inert, Escape closes; failures are said here, in words.
 */
export function TargetDialog({ kind, phoneId, line, lines, flow, open, onClose }: TargetDialogProps) {
  const transfer = useTransfer(phoneId);
  const conference = useConference(phoneId);
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<TargetOption | undefined>();
  const [active, setActive] = useState(-1);
  const [problem, setProblem] = useState<string | undefined>();
  const options = useTargetOptions(phoneId, chosen ? '' : text, open);
  const fieldId = useId();
  const listId = useId();
  const hintId = useId();
  const pending = transfer.isPending || conference.isPending;
  const error = transfer.error ?? conference.error;

  const close = () => {
    setText('');
    setChosen(undefined);
    setActive(-1);
    setProblem(undefined);
    transfer.reset();
    conference.reset();
    onClose();
  };

  const pick = (option: TargetOption) => {
    setChosen(option);
    setText(option.label);
    setActive(-1);
    setProblem(undefined);
  };

  /** The number to dial and what to call it, or a reason to show instead. */
  const target = (): { number: string; name: string } | { problem: string } => {
    if (chosen) return keypadTarget(chosen.number, chosen.label);
    if (!text.trim()) return { problem: 'Type a name, an extension or a number.' };
    const check = checkDialNumber(text);
    if (check.ok) return keypadTarget(check.number, check.number);
    return {
      problem:
        options.length > 0
          ? 'Choose one of the matches below, or type a number.'
          : `No contact or phone matches, and it is not a number: ${check.reason}`,
    };
  };

  const start = (mode: 'blind' | 'attended' | 'conference') => {
    if (pending) return;
    const picked = target();
    if ('problem' in picked) {
      setProblem(picked.problem);
      return;
    }
    setProblem(undefined);
    rememberTargetName(picked.number, picked.name);
    // The dialog closes with the outcome in a toast (the page behind was inert while it was open).
    const done = {
      onSuccess: ({ flow: after }: FlowResult) => {
        close();
        toast.success(flowProgress(after, targetLabel(after, lines)));
      },
    };
    if (mode === 'conference') conference.mutate({ line: line.line, number: picked.number }, done);
    else transfer.mutate({ line: line.line, number: picked.number, mode }, done);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (options.length === 0) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + options.length) % options.length);
    } else if (event.key === 'Enter') {
      // Enter picks the highlighted match; it never starts a transfer by itself (two ways to start one).
      event.preventDefault();
      const option = options[active];
      if (option) pick(option);
    }
  };

  const running = pending && flowRunning(flow) && flow.line === line.line ? flow : undefined;
  const listShown = options.length > 0 && !chosen;
  const title =
    kind === 'transfer' ? `Transfer ${callerText(line)}` : `Add someone to the call with ${callerText(line)}`;

  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      description={
        kind === 'transfer'
          ? 'Transfer now hands the call over at once. Ask first puts the caller on hold while you talk to the other person, then you complete the transfer or go back.'
          : 'The caller is held while the other person is called; when they answer, all three of you are in one call.'
      }
    >
      <form className="flex flex-col gap-4" onSubmit={(e) => e.preventDefault()} noValidate>
        <div className="flex flex-col gap-1">
          <label htmlFor={fieldId} className="font-medium text-sm">
            {kind === 'transfer' ? 'Transfer to' : 'Add'}
          </label>
          <input
            id={fieldId}
            type="text"
            role="combobox"
            aria-expanded={listShown}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={
              listShown && options[active] ? `${listId}-${options[active].key}` : undefined
            }
            aria-describedby={hintId}
            aria-invalid={problem ? true : undefined}
            autoComplete="off"
            spellCheck={false}
            // The dialog opens for this one field (Dialog focuses the element with autoFocus).
            autoFocus
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setChosen(undefined);
              setActive(-1);
              setProblem(undefined);
            }}
            onKeyDown={onKeyDown}
          />
          <p id={hintId} className="text-sm text-zinc-600 dark:text-zinc-400">
            {chosen ? `Dials ${chosen.number} (${chosen.detail})` : 'A name, an extension or any number.'}
          </p>
          <div
            id={listId}
            role="listbox"
            aria-label="Matches"
            hidden={!listShown}
            className="flex max-h-60 flex-col overflow-y-auto rounded-lg border border-zinc-200 dark:border-zinc-700"
          >
            {options.map((option, index) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the field's arrow keys and Enter choose options
              <div
                key={option.key}
                id={`${listId}-${option.key}`}
                role="option"
                // Options take no focus of their own: the field keeps it (aria-activedescendant).
                tabIndex={-1}
                aria-selected={index === active}
                className={`flex cursor-pointer flex-col px-3 py-2 text-sm ${index === active ? 'bg-blue-100 dark:bg-blue-900' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}
                onClick={() => pick(option)}
              >
                <span className="font-medium">{option.label}</span>
                <span className="text-zinc-600 dark:text-zinc-400">{option.detail}</span>
              </div>
            ))}
          </div>
        </div>
        {running && (
          <p role="status" className="text-sm">
            {flowProgress(running, targetLabel(running, lines))}
          </p>
        )}
        {(problem || error) && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {problem ?? flowErrorText(error)}
          </p>
        )}
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          {kind === 'transfer' ? (
            <>
              <Button
                variant="secondary"
                pending={transfer.isPending && transfer.variables?.mode === 'attended'}
                blocked={transfer.isPending && transfer.variables?.mode !== 'attended'}
                onClick={() => start('attended')}
              >
                Ask first
              </Button>
              <Button
                variant="primary"
                pending={transfer.isPending && transfer.variables?.mode === 'blind'}
                blocked={transfer.isPending && transfer.variables?.mode !== 'blind'}
                onClick={() => start('blind')}
              >
                Transfer now
              </Button>
            </>
          ) : (
            <Button variant="primary" pending={conference.isPending} onClick={() => start('conference')}>
              Add to call
            </Button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
