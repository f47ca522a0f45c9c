/**
 * The contacts' writes as mutation hooks for the dialogs. Unlike the phone commands, a failure is not
 * toasted: the dialog that asked shows it, once, where the person is looking.
 */
import type {
  Contact,
  CreateContactBody,
  ImportContactsBody,
  ImportResult,
  ImportRow,
} from '@linedeck/contract';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { contactQueries } from '../../lib/queries.ts';
import { queryClient } from '../../lib/query-client.ts';
import { toast } from '../../lib/toasts.ts';

function contactsChanged(): void {
  void queryClient.invalidateQueries({ queryKey: contactQueries.all() });
}

export function useSaveContact() {
  return useMutation({
    mutationFn: ({ id, body }: { id?: string | undefined; body: CreateContactBody }) =>
      id
        ? api<Contact>(`/api/contacts/${encodeURIComponent(id)}`, { method: 'PATCH', body })
        : api<Contact>('/api/contacts', { method: 'POST', body }),
    onSuccess: (contact, { id }) => {
      contactsChanged();
      toast.success(id ? `${contact.name} saved` : `${contact.name} added`);
    },
  });
}

export function useImportContacts() {
  return useMutation({
    mutationFn: (body: ImportContactsBody) =>
      api<ImportResult>('/api/contacts/import', { method: 'POST', body }),
    onSuccess: contactsChanged,
  });
}

/** The server's verdict on each mapped row (new, duplicate by number, invalid), nothing added. */
export function useImportPreview(rows: ImportRow[]) {
  return useQuery({
    queryKey: ['contacts-import-preview', rows] as const,
    queryFn: ({ signal }) =>
      api<ImportResult>('/api/contacts/import', {
        method: 'POST',
        body: { contacts: rows, dryRun: true } satisfies ImportContactsBody,
        signal,
      }),
    enabled: rows.length > 0,
    retry: false,
    staleTime: 0,
  });
}

export const EXPORT_URL = '/api/contacts/export.csv';
