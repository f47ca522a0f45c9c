import type { Phone, PhoneState } from '@linedeck/contract';

function digits(text: string): string {
  return text.replace(/[^0-9+*#]/g, '');
}

/**
 * Whether a phone matches what was typed in the search: its name or model, an
 * account's number or name, or the name or number of anyone on a line.
 */
export function matchesSearch(phone: Phone, state: PhoneState | undefined, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const texts = [phone.name, phone.model ?? ''];
  const numbers: string[] = [];
  for (const account of state?.accounts ?? []) {
    texts.push(account.name);
    numbers.push(account.sipId);
  }
  for (const line of state?.lines ?? []) {
    if (line.state === 'idle') continue;
    texts.push(line.remoteName, line.contact?.name ?? '', line.contact?.company ?? '');
    numbers.push(line.remoteNumber);
  }
  if (texts.some((t) => t.toLowerCase().includes(q))) return true;
  const qd = digits(q);
  return qd.length > 0 && qd === q.replace(/[\s().-]/g, '') && numbers.some((n) => digits(n).includes(qd));
}
