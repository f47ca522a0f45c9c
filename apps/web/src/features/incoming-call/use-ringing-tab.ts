/**
 * While a watched phone rings, the tab says so: its title ("Ringing: Ada Lovelace · LineDeck") and
 * a ringing favicon, so a call is seen from another tab or window. Pages set their own titles in
 * effects; a title set while ringing becomes the one restored when the ringing stops.
 */
import { useEffect } from 'react';

// The app icon with a red "ringing" dot: inline, so it shows at once and needs no request.
const RINGING_ICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/><path d="M11 7c1 0 1.6.5 2 1.4l1.3 3c.4.9.2 1.9-.6 2.5l-1.4 1.1a13 13 0 0 0 5.7 5.7l1.1-1.4c.6-.8 1.6-1 2.5-.6l3 1.3c.9.4 1.4 1 1.4 2V25c0 1.1-.9 2-2 2C14.4 27 5 17.6 5 9c0-1.1.9-2 2-2z" fill="#fff"/><circle cx="25" cy="7" r="6.5" fill="#dc2626" stroke="#fff" stroke-width="1.5"/></svg>',
)}`;

function iconLink(): HTMLLinkElement {
  const found = document.querySelector<HTMLLinkElement>('link[rel~="icon"]');
  if (found) return found;
  const link = document.createElement('link');
  link.rel = 'icon';
  document.head.append(link);
  return link;
}

export function useRingingTab(title: string | undefined): void {
  useEffect(() => {
    if (!title) return;
    let base = document.title;
    const link = iconLink();
    const baseIcon = link.getAttribute('href');
    const baseType = link.getAttribute('type');
    const apply = () => {
      if (document.title !== title) {
        base = document.title;
        document.title = title;
      }
    };
    apply();
    link.setAttribute('href', RINGING_ICON);
    link.setAttribute('type', 'image/svg+xml');
    const titleElement = document.querySelector('title');
    const observer = new MutationObserver(apply);
    if (titleElement) observer.observe(titleElement, { childList: true, characterData: true, subtree: true });
    return () => {
      observer.disconnect();
      document.title = base;
      if (baseIcon === null) link.removeAttribute('href');
      else link.setAttribute('href', baseIcon);
      if (baseType === null) link.removeAttribute('type');
      else link.setAttribute('type', baseType);
    };
  }, [title]);
}
