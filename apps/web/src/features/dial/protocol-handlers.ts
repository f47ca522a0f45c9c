/**
 * Making LineDeck the browser's handler for phone links. Browsers accept only a safelist of schemes
 * (HTML "custom handlers", MDN registerProtocolHandler): `tel` and `sip` are on it; `callto` is not and
 * cannot be registered (only `web+` names may be added), so callto: links reach /dial only through the
 * bookmarklet or a pasted link. Registration also needs a secure context (https, or localhost), and
 * Safari has no registerProtocolHandler at all.
 */
export const DIAL_PATH = '/dial';
export const HANDLED_SCHEMES = ['tel', 'sip'] as const;

export type RegisterOutcome = { ok: true; schemes: string[] } | { ok: false; reason: string };

/** `%s` is where the browser puts the whole link, percent-encoded (`tel%3A%2B49...`). */
export function handlerUrl(origin: string): string {
  return `${origin}${DIAL_PATH}?number=%s`;
}

export function registerDialHandlers(
  nav: Pick<Navigator, 'registerProtocolHandler'> | undefined = globalThis.navigator,
  origin: string = window.location.origin,
  secure: boolean = window.isSecureContext,
): RegisterOutcome {
  if (!nav || typeof nav.registerProtocolHandler !== 'function') {
    return { ok: false, reason: 'This browser cannot open phone links in a web app (Safari cannot).' };
  }
  if (!secure) {
    return { ok: false, reason: 'Browsers allow this only over https (or on localhost).' };
  }
  const schemes: string[] = [];
  const failures: string[] = [];
  for (const scheme of HANDLED_SCHEMES) {
    try {
      nav.registerProtocolHandler(scheme, handlerUrl(origin));
      schemes.push(scheme);
    } catch (error) {
      failures.push(`${scheme}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (schemes.length === 0) return { ok: false, reason: `The browser refused: ${failures.join('; ')}` };
  return { ok: true, schemes };
}

/** "Dial the selected text": opens /dial in a tab named linedeck-dial, reused by the next selection. */
export function bookmarklet(origin: string): string {
  const target = JSON.stringify(`${origin}${DIAL_PATH}?number=`);
  return `javascript:(()=>{const s=String(getSelection()).trim();if(s)window.open(${target}+encodeURIComponent(s),'linedeck-dial')})()`;
}
