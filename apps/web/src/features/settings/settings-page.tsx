import type { SessionUser } from '@linedeck/contract';
import { useEffect } from 'react';
import { Link, type SettingsSection, settingsPath } from '../../lib/router.tsx';
import { API_REFERENCE_PATH } from '../api-reference/path.ts';
import { AccessSettings } from './access-settings.tsx';
import { AuditSettings } from './audit-settings.tsx';
import { DirectorySettingsPanel } from './directory-settings.tsx';
import { PhonesSettings } from './phones-settings.tsx';
import { UsersSettings } from './users-settings.tsx';
import { WebhooksSettings } from './webhooks-settings.tsx';

const SECTIONS: { id: SettingsSection; label: string }[] = [
  { id: 'phones', label: 'Phones' },
  { id: 'users', label: 'Users' },
  { id: 'access', label: 'Display keys and API tokens' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'directory', label: 'Directory' },
  { id: 'audit', label: 'Audit log' },
];

/** Admin settings: one page per section, with its own address. */
export function SettingsPage({ section, user }: { section: SettingsSection; user: SessionUser }) {
  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0];
  useEffect(() => {
    document.title = `${current?.label ?? 'Settings'} · Settings · LineDeck`;
  }, [current]);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="font-semibold text-2xl">Settings</h1>
      <nav
        aria-label="Settings"
        className="-mt-2 flex flex-wrap gap-1 border-zinc-200 border-b dark:border-zinc-800"
      >
        {SECTIONS.map((s) => (
          <Link
            key={s.id}
            href={settingsPath(s.id)}
            aria-current={s.id === section ? 'page' : undefined}
            className={`-mb-px rounded-t-lg border-b-2 px-3 py-2 font-medium text-sm ${s.id === section ? 'border-blue-700 text-blue-800 dark:border-blue-300 dark:text-blue-200' : 'border-transparent text-zinc-700 hover:text-zinc-950 dark:text-zinc-300 dark:hover:text-white'}`}
          >
            {s.label}
          </Link>
        ))}
        <Link
          href={API_REFERENCE_PATH}
          className="-mb-px rounded-t-lg border-transparent border-b-2 px-3 py-2 font-medium text-sm text-zinc-700 hover:text-zinc-950 dark:text-zinc-300 dark:hover:text-white"
        >
          API reference
        </Link>
      </nav>
      {section === 'phones' && <PhonesSettings />}
      {section === 'users' && <UsersSettings me={user} />}
      {section === 'access' && <AccessSettings />}
      {section === 'webhooks' && <WebhooksSettings />}
      {section === 'directory' && <DirectorySettingsPanel />}
      {section === 'audit' && <AuditSettings />}
    </div>
  );
}
