/**
 * The phone's Remote Control settings (guide, "Enabling CTI feature") and Click-To-Dial, which together
 * decide whether a CTI request is served at all.
 */
export interface Settings {
  /** "Action URI Support". Off: every CTI request gets HTTP 403. */
  ctiEnabled: boolean;
  /** "Action URI Allowed IP List": addresses, or `any`. */
  allowedIps: readonly string[];
  /** "Remote Control Pop up Window Support": each command waits for a confirmation at the handset. */
  popupConfirmation: boolean;
  /** "Click-To-Dial Feature": off makes api-make_call answer `Invalid Request`. */
  clickToDial: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  ctiEnabled: true,
  allowedIps: ['any'],
  popupConfirmation: false,
  clickToDial: true,
};

/** Accepts the list as the web GUI does: an array, or one comma- or space-separated string. */
export function normalizeIpList(list: readonly string[] | string): string[] {
  const items = typeof list === 'string' ? list.split(/[\s,;]+/) : list;
  return items.map((ip) => normalizeIp(ip.trim())).filter((ip) => ip.length > 0);
}

/** Node reports IPv4 clients of a dual-stack socket as `::ffff:a.b.c.d`. */
export function normalizeIp(ip: string | undefined): string {
  if (!ip) return '';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip.toLowerCase();
}

export function ipAllowed(allowed: readonly string[], remote: string | undefined): boolean {
  const ip = normalizeIp(remote);
  return allowed.some((entry) => entry.toLowerCase() === 'any' || entry === ip);
}
