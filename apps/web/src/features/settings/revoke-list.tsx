import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { api } from '../../lib/api-client.ts';
import { errorText } from '../../lib/error-text.ts';
import { queryClient } from '../../lib/query-client.ts';
import { toast } from '../../lib/toasts.ts';
import { FormError, formatDate, SettingsTable, TD } from './form-controls.tsx';

export interface RevocableRow {
  id: string;
  name: string;
  scope: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** More cells after "Last used", one per `detailLabels` entry (API tokens: made by, expires, state). */
  details?: string[];
}

/** A table of display keys or API tokens, each with a Revoke button that asks first. */
export function RevokeList({
  what,
  caption,
  empty,
  rows,
  scopeLabel,
  detailLabels = [],
  error,
  path,
  refresh,
  consequence,
}: {
  /** What one row is, e.g. "API token": for the dialog title and the toast. */
  what: string;
  caption: string;
  empty: string;
  rows: RevocableRow[];
  scopeLabel: string;
  detailLabels?: string[];
  error: unknown;
  /** Where to DELETE a row. */
  path: (id: string) => string;
  refresh: readonly unknown[];
  consequence: string;
}) {
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  return (
    <>
      <KeyTable
        caption={caption}
        empty={empty}
        rows={rows}
        scopeLabel={scopeLabel}
        detailLabels={detailLabels}
        error={error}
        onRevoke={setRevoking}
      />
      {revoking && (
        <RevokeDialog
          what={what}
          name={revoking.name}
          path={path(revoking.id)}
          invalidate={refresh}
          consequence={consequence}
          onClose={() => setRevoking(null)}
        />
      )}
    </>
  );
}

function RevokeDialog({
  what,
  name,
  path,
  invalidate,
  consequence,
  onClose,
}: {
  what: string;
  name: string;
  path: string;
  invalidate: readonly unknown[];
  consequence: string;
  onClose: () => void;
}) {
  const revoke = useMutation({
    mutationFn: () => api<unknown>(path, { method: 'DELETE' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: invalidate });
      toast.success(`Revoked ${what} ${name}`);
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose} title={`Revoke ${what} ${name}?`} description={consequence}>
      <FormError>{revoke.error ? errorText(revoke.error) : undefined}</FormError>
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" pending={revoke.isPending} onClick={() => revoke.mutate()}>
          Revoke
        </Button>
      </div>
    </Dialog>
  );
}

function KeyTable({
  caption,
  empty,
  rows,
  scopeLabel,
  detailLabels,
  error,
  onRevoke,
}: {
  caption: string;
  empty: string;
  rows: RevocableRow[];
  scopeLabel: string;
  detailLabels: string[];
  error: unknown;
  onRevoke: (row: { id: string; name: string }) => void;
}) {
  if (error) return <FormError>{errorText(error)}</FormError>;
  if (rows.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">{empty}</p>;
  return (
    <SettingsTable caption={caption} columns={['Name', scopeLabel, 'Created', 'Last used', ...detailLabels]}>
      {rows.map((row) => (
        <tr key={row.id}>
          <td className={`${TD} font-medium`}>{row.name}</td>
          <td className={TD}>{row.scope}</td>
          <td className={TD}>{formatDate(row.createdAt)}</td>
          <td className={TD}>{formatDate(row.lastUsedAt)}</td>
          {detailLabels.map((label, i) => (
            <td key={label} className={TD}>
              {row.details?.[i] ?? ''}
            </td>
          ))}
          <td className={TD}>
            <Button size="sm" variant="ghost" onClick={() => onRevoke(row)} aria-label={`Revoke ${row.name}`}>
              Revoke
            </Button>
          </td>
        </tr>
      ))}
    </SettingsTable>
  );
}
