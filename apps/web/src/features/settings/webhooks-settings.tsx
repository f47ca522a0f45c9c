/**
 * Settings → Webhooks: the webhooks, a form that creates one and shows its signing secret once, and per
 * webhook: enable or disable, its delivery log (with Redeliver), Send test event and Delete (asks first).
 */
import type {
  Webhook,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEvent,
  WebhookList,
  WebhookWithSecret,
} from '@linedeck/contract';
import { WEBHOOK_EVENTS } from '@linedeck/contract/vocabulary';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Field } from '../../components/ui/field.tsx';
import { api } from '../../lib/api-client.ts';
import { errorText } from '../../lib/error-text.ts';
import { queryClient } from '../../lib/query-client.ts';
import { toast } from '../../lib/toasts.ts';
import { SecretOnce } from './access-settings.tsx';
import { FormError, fieldErrors, formatDate, PANEL, SettingsTable, TD } from './form-controls.tsx';

const LIST_KEY = ['webhooks'] as const;
const deliveriesKey = (id: string) => ['webhooks', id, 'deliveries'] as const;
const path = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;
/** The log refreshes while it is open: retries happen on the server's clock. */
const LOG_REFRESH_MS = 3000;

const refresh = () => void queryClient.invalidateQueries({ queryKey: LIST_KEY });

export function WebhooksSettings() {
  const list = useQuery({ queryKey: LIST_KEY, queryFn: () => api<WebhookList>('/api/webhooks') });
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const hooks = list.data?.webhooks ?? [];
  return (
    <div className="flex flex-col gap-6">
      <CreateWebhook onCreated={setSecret} />
      {secret && <SecretOnce label="Signing secret" value={secret} onDone={() => setSecret(null)} />}
      <section aria-labelledby="webhooks-heading" className={PANEL}>
        <h2 id="webhooks-heading" className="font-semibold text-lg">
          Webhooks
        </h2>
        <FormError>{list.isError ? errorText(list.error) : undefined}</FormError>
        {hooks.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No webhooks yet.</p>
        ) : (
          <SettingsTable caption="Webhooks" columns={['URL', 'Events', 'State', 'Last delivery']}>
            {hooks.map((hook) => (
              <WebhookRow
                key={hook.id}
                hook={hook}
                logOpen={logOf === hook.id}
                onLog={() => setLogOf(logOf === hook.id ? null : hook.id)}
                onDelete={() => setDeleting(hook)}
              />
            ))}
          </SettingsTable>
        )}
      </section>
      {logOf && <DeliveryLog webhookId={logOf} />}
      {deleting && <DeleteDialog hook={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}

function CreateWebhook({ onCreated }: { onCreated: (secret: string) => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['call.missed']);
  const create = useMutation({
    mutationFn: () => api<WebhookWithSecret>('/api/webhooks', { method: 'POST', body: { url, events } }),
    onSuccess: (created) => {
      onCreated(created.secret);
      setUrl('');
      refresh();
    },
  });
  const errors = fieldErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="new-webhook-heading" className={PANEL}>
      <div>
        <h2 id="new-webhook-heading" className="font-semibold text-lg">
          New webhook
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          LineDeck POSTs signed JSON to this address when a chosen event happens, and retries for a day when
          it does not answer 2xx.
        </p>
      </div>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <Field
          label="URL"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://crm.example/hooks/linedeck"
          autoComplete="off"
          error={errors.url}
        />
        <fieldset className="flex flex-col gap-1">
          <legend className="font-medium text-sm">Events</legend>
          <div className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-x-4 gap-y-1">
            {WEBHOOK_EVENTS.map((event) => (
              <label key={event} className="flex min-h-8 items-center gap-2 font-mono text-sm">
                <input
                  type="checkbox"
                  className="size-4 min-h-0 p-0"
                  checked={events.includes(event)}
                  onChange={(e) =>
                    setEvents(e.target.checked ? [...events, event] : events.filter((x) => x !== event))
                  }
                />
                {event}
              </label>
            ))}
          </div>
          {errors.events && <p className="text-sm text-red-700 dark:text-red-300">{errors.events}</p>}
        </fieldset>
        <FormError>
          {create.error && !errors.url && !errors.events ? errorText(create.error) : undefined}
        </FormError>
        <div>
          <Button type="submit" variant="primary" pending={create.isPending}>
            Create webhook
          </Button>
        </div>
      </form>
    </section>
  );
}

function lastText(hook: Webhook): string {
  const last = hook.lastDelivery;
  if (!last) return 'None yet';
  const detail = last.error ?? (last.statusCode ? `HTTP ${last.statusCode}` : '');
  return `${last.state}${detail ? ` (${detail})` : ''}, ${formatDate(last.createdAt)}`;
}

function WebhookRow(props: { hook: Webhook; logOpen: boolean; onLog: () => void; onDelete: () => void }) {
  const { hook } = props;
  const toggle = useMutation({
    mutationFn: () => api<Webhook>(path(hook.id), { method: 'PATCH', body: { enabled: !hook.enabled } }),
    onSuccess: refresh,
    onError: (err) => toast.error(errorText(err)),
  });
  const test = useMutation({
    mutationFn: () => api<WebhookDelivery>(`${path(hook.id)}/test`, { method: 'POST' }),
    onSuccess: () => {
      toast.success('Test event queued');
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    },
    onError: (err) => toast.error(errorText(err)),
  });
  return (
    <tr>
      <td className={`${TD} break-all font-mono`}>{hook.url}</td>
      <td className={`${TD} font-mono text-xs`}>{hook.events.join(', ')}</td>
      <td className={TD}>{hook.enabled ? 'Enabled' : 'Disabled'}</td>
      <td className={TD}>{lastText(hook)}</td>
      <td className={`${TD} whitespace-nowrap`}>
        <div className="flex flex-wrap gap-1">
          <Button variant="ghost" pending={toggle.isPending} onClick={() => toggle.mutate()}>
            {hook.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button variant="ghost" aria-expanded={props.logOpen} onClick={props.onLog}>
            Deliveries
          </Button>
          <Button
            variant="ghost"
            pending={test.isPending}
            disabled={!hook.enabled}
            onClick={() => test.mutate()}
          >
            Send test event
          </Button>
          <Button variant="ghost" onClick={props.onDelete}>
            Delete
          </Button>
        </div>
      </td>
    </tr>
  );
}

function DeliveryLog({ webhookId }: { webhookId: string }) {
  const log = useQuery({
    queryKey: deliveriesKey(webhookId),
    queryFn: () => api<WebhookDeliveryList>(`${path(webhookId)}/deliveries`),
    refetchInterval: LOG_REFRESH_MS,
  });
  const redeliver = useMutation({
    mutationFn: (id: string) =>
      api<WebhookDelivery>(`${path(webhookId)}/deliveries/${encodeURIComponent(id)}/redeliver`, {
        method: 'POST',
      }),
    onSuccess: () => {
      toast.success('Delivery queued again');
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    },
    onError: (err) => toast.error(errorText(err)),
  });
  const rows = log.data?.deliveries ?? [];
  return (
    <section aria-labelledby="deliveries-heading" className={PANEL}>
      <h2 id="deliveries-heading" className="font-semibold text-lg">
        Deliveries
      </h2>
      <FormError>{log.isError ? errorText(log.error) : undefined}</FormError>
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No deliveries yet.</p>
      ) : (
        <SettingsTable
          caption="Deliveries"
          columns={['Event', 'State', 'Attempts', 'Answer', 'Created', 'Next attempt']}
        >
          {rows.map((d) => (
            <tr key={d.id}>
              <td className={`${TD} font-mono text-xs`}>{d.event}</td>
              <td className={TD}>{d.state}</td>
              <td className={TD}>{d.attempt}</td>
              <td className={TD}>{d.error ?? (d.statusCode ? `HTTP ${d.statusCode}` : '')}</td>
              <td className={TD}>{formatDate(d.createdAt)}</td>
              <td className={TD}>{d.nextAttemptAt ? formatDate(d.nextAttemptAt) : ''}</td>
              <td className={TD}>
                <Button variant="ghost" onClick={() => redeliver.mutate(d.id)}>
                  Redeliver
                </Button>
              </td>
            </tr>
          ))}
        </SettingsTable>
      )}
    </section>
  );
}

function DeleteDialog({ hook, onClose }: { hook: Webhook; onClose: () => void }) {
  const remove = useMutation({
    mutationFn: () => api<unknown>(path(hook.id), { method: 'DELETE' }),
    onSuccess: () => {
      refresh();
      toast.success('Webhook deleted');
      onClose();
    },
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title="Delete this webhook?"
      description={`${hook.url} gets nothing more, and its delivery log is deleted with it.`}
    >
      <FormError>{remove.error ? errorText(remove.error) : undefined}</FormError>
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" pending={remove.isPending} onClick={() => remove.mutate()}>
          Delete
        </Button>
      </div>
    </Dialog>
  );
}
