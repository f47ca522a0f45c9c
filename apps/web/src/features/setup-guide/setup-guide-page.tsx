import { useEffect } from 'react';
import { CLICK_TO_DIAL_STEP, ctiSteps, PHONE_FAMILIES, REMOTE_CONTROL_PATHS } from '../../lib/phone-setup.ts';

/**
 * How to switch CTI on at each GRP26xx family, from the vendor's CTI guide; the same text is in
 * docs/phone-setup.md. The menu paths come from lib/phone-setup.ts, which Test connection quotes too.
 */
export function SetupGuidePage() {
  useEffect(() => {
    document.title = 'Setup guide · LineDeck';
  }, []);
  return (
    <article className="flex max-w-3xl flex-col gap-6" aria-labelledby="setup-heading">
      <header className="flex flex-col gap-2">
        <h1 id="setup-heading" className="font-semibold text-2xl">
          Setting up a phone for LineDeck
        </h1>
        <p className="text-zinc-700 dark:text-zinc-300">
          LineDeck controls Grandstream GRP26xx phones over their CTI interface (the vendor's "Action URI").
          It is off on a new phone: switch it on once per phone in the phone's own web interface, then add the
          phone in LineDeck and run <strong>Test connection</strong>.
        </p>
      </header>

      <section aria-labelledby="families-heading" className="flex flex-col gap-4">
        <h2 id="families-heading" className="font-semibold text-xl">
          1. Enable CTI on the phone
        </h2>
        {PHONE_FAMILIES.map((family) => (
          <section
            key={family.id}
            aria-labelledby={`family-${family.id}`}
            className="flex flex-col gap-2 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
          >
            <h3 id={`family-${family.id}`} className="font-semibold text-lg">
              {family.name}
            </h3>
            <p className="text-sm text-zinc-700 dark:text-zinc-300">
              Models: {family.models}. Firmware {family.minFirmware} or newer.
            </p>
            <ol className="list-decimal space-y-1 pl-6">
              {ctiSteps(family).map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
            {family.note && <p className="text-sm text-zinc-700 dark:text-zinc-300">{family.note}</p>}
          </section>
        ))}
      </section>

      <section aria-labelledby="dial-heading" className="flex flex-col gap-2">
        <h2 id="dial-heading" className="font-semibold text-xl">
          2. Allow calls from LineDeck
        </h2>
        <p>{CLICK_TO_DIAL_STEP}</p>
      </section>

      <section aria-labelledby="add-heading" className="flex flex-col gap-2">
        <h2 id="add-heading" className="font-semibold text-xl">
          3. Add the phone in LineDeck
        </h2>
        <ol className="list-decimal space-y-1 pl-6">
          <li>
            An admin opens <strong>Settings → Phones</strong> and adds the phone: a name, its IP address (with
            :port if not 80), the model and the phone's admin password (the one of its web interface).
          </li>
          <li>
            LineDeck tests the connection at once. Each check says what to change on the phone if it fails.
          </li>
          <li>
            A wrong password is not retried by itself: newer firmware locks the account after 5 wrong tries.
            Correct it in the phone's settings in LineDeck, then run Test connection again.
          </li>
        </ol>
      </section>

      <section aria-labelledby="trouble-heading" className="flex flex-col gap-2">
        <h2 id="trouble-heading" className="font-semibold text-xl">
          When something does not work
        </h2>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[12rem_1fr]">
          <dt className="font-medium">Refused (forbidden)</dt>
          <dd>
            Action URI Support is off, or the server's address is not in Action URI Allowed IP List:{' '}
            {REMOTE_CONTROL_PATHS}.
          </dd>
          <dt className="font-medium">Commands time out</dt>
          <dd>
            Remote Control Pop up Window Support is enabled, so the handset waits for someone to confirm each
            command: disable it on the same Remote Control page.
          </dd>
          <dt className="font-medium">Calls fail with "Invalid Request"</dt>
          <dd>{CLICK_TO_DIAL_STEP}</dd>
          <dt className="font-medium">Mute or DND keys do nothing while idle</dt>
          <dd>
            Set Phone Settings → Call Settings → General → "Mute Key Functions while idle" to Idle Mute or
            DND, as you want the key to work.
          </dd>
          <dt className="font-medium">Unauthorized</dt>
          <dd>
            The phone refused the password. Reset uses the admin password; with a user password every other
            command works.
          </dd>
        </dl>
      </section>
    </article>
  );
}
