/**
 * The tab says what needs the person: while a watched phone rings, its title ("Ringing: Ada Lovelace ·
 * LineDeck") and a ringing favicon; otherwise unseen missed calls before the page's own title
 * ("(2) Calls · LineDeck"). Pages set their own titles in effects, at any time: the title element is
 * watched, and whatever a page writes becomes the base the decoration is put on again.
 */
import { useEffect } from 'react';

// The app icon with a red "ringing" dot: inline, so it shows at once and needs no request.
const RINGING_ICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/><path d="M11 7c1 0 1.6.5 2 1.4l1.3 3c.4.9.2 1.9-.6 2.5l-1.4 1.1a13 13 0 0 0 5.7 5.7l1.1-1.4c.6-.8 1.6-1 2.5-.6l3 1.3c.9.4 1.4 1 1.4 2V25c0 1.1-.9 2-2 2C14.4 27 5 17.6 5 9c0-1.1.9-2 2-2z" fill="#fff"/><circle cx="25" cy="7" r="6.5" fill="#dc2626" stroke="#fff" stroke-width="1.5"/></svg>',
)}`;

/** The title the tab shows: a ringing call wins; else the missed count before the page's title. */
export function tabTitle(pageTitle: string, ringing: string | undefined, missed: number): string {
  if (ringing) return ringing;
  return missed > 0 ? `(${missed}) ${pageTitle}` : pageTitle;
}

// One decoration for the whole page, fed by the two hooks below.
let ringing: string | undefined;
let missed = 0;
let pageTitle: string | undefined;
let written: string | undefined;
let observer: MutationObserver | undefined;

function apply(): void {
  const current = document.title;
  // Anything but our own last write is a page setting its title.
  if (current !== written || pageTitle === undefined) pageTitle = current;
  const next = tabTitle(pageTitle, ringing, missed);
  written = next;
  if (current !== next) document.title = next;
}

function watchTitle(): void {
  if (observer || typeof MutationObserver === 'undefined') return;
  let element = document.querySelector('title');
  if (!element) {
    element = document.createElement('title');
    document.head.append(element);
  }
  observer = new MutationObserver(apply);
  observer.observe(element, { childList: true, characterData: true, subtree: true });
}

function iconLink(): HTMLLinkElement {
  const found = document.querySelector<HTMLLinkElement>('link[rel~="icon"]');
  if (found) return found;
  const link = document.createElement('link');
  link.rel = 'icon';
  document.head.append(link);
  return link;
}

/** While `title` is set, the tab shows it and the ringing favicon; the page's own come back after. */
export function useRingingTab(title: string | undefined): void {
  useEffect(() => {
    if (!title) return;
    watchTitle();
    ringing = title;
    apply();
    const link = iconLink();
    const baseIcon = link.getAttribute('href');
    const baseType = link.getAttribute('type');
    link.setAttribute('href', RINGING_ICON);
    link.setAttribute('type', 'image/svg+xml');
    return () => {
      if (ringing === title) ringing = undefined;
      apply();
      if (baseIcon === null) link.removeAttribute('href');
      else link.setAttribute('href', baseIcon);
      if (baseType === null) link.removeAttribute('type');
      else link.setAttribute('type', baseType);
    };
  }, [title]);
}

/** Unseen missed calls in the title ("(2) Phones · LineDeck") while `count` is above 0. */
export function useMissedTab(count: number): void {
  useEffect(() => {
    if (count <= 0) return;
    watchTitle();
    missed = count;
    apply();
    return () => {
      missed = 0;
      apply();
    };
  }, [count]);
}
