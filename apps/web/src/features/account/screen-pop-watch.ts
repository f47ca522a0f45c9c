/**
 * When a screen pop opens: once per call, when it starts ringing on a watched phone, or when a line
 * that rang is answered (the same caller, now connected). Pure, so the rule is tested without a
 * browser; the states are the ones the event stream keeps in the query cache.
 */
import type { PhoneState, ScreenPopSettings, ScreenPopValues } from '@linedeck/contract';

export class ScreenPopWatch {
  /** Lines that rang, by phone and line: the caller, and the call's ring key. */
  private readonly rang = new Map<string, { remoteNumber: string; ring: string }>();
  /** Calls already popped (their ring key), so a re-render or a repeat state opens nothing more. */
  private readonly popped = new Set<string>();

  /** The values of every call that should pop now, given each watched phone's state and its name. */
  next(
    states: readonly { state: PhoneState; phoneName: string }[],
    openOn: ScreenPopSettings['openOn'],
  ): ScreenPopValues[] {
    const out: ScreenPopValues[] = [];
    for (const { state, phoneName } of states) {
      for (const line of state.lines) {
        const where = `${state.phoneId}:${line.line}`;
        const values: ScreenPopValues = {
          number: line.remoteNumber,
          name: line.contact?.name ?? line.remoteName,
          company: line.contact?.company ?? '',
          phone: phoneName,
        };
        if (line.state === 'ringing') {
          const ring = `${where}:${line.since ?? ''}:${line.remoteNumber}`;
          this.rang.set(where, { remoteNumber: line.remoteNumber, ring });
          if (openOn === 'ringing' && this.once(ring)) out.push(values);
        } else if (line.state === 'connected') {
          const rang = this.rang.get(where);
          if (
            rang &&
            rang.remoteNumber === line.remoteNumber &&
            openOn === 'answered' &&
            this.once(rang.ring)
          ) {
            out.push(values);
          }
        } else if (line.state === 'idle') {
          this.rang.delete(where);
        }
      }
    }
    return out;
  }

  private once(key: string): boolean {
    if (this.popped.has(key)) return false;
    if (this.popped.size > 500) this.popped.clear();
    this.popped.add(key);
    return true;
  }
}
