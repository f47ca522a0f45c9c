/**
 * Long phone names on small tiles. Names in an office differ at the end ("Conference Room
 * Bergmannstraße 3rd floor 301" and "... 302"), so a name that does not fit keeps its end and gives
 * up its middle: "Conference Ro…3rd floor 301". The full name stays the tile's accessible name and title.
 */

const ELLIPSIS = '…';
/** The share of the room the end of a name gets: it is what tells similar names apart. */
const TAIL_SHARE = 0.6;
/** How far the cut may move to start the end at a word ("…3rd floor 301", not "…ße 3rd floor 301"). */
const WORD_SNAP = 5;

/** `name` in at most `max` characters (code points): whole when it fits, else cut in the middle. */
export function middleEllipsis(name: string, max: number): string {
  const chars = [...name.trim()];
  const limit = Math.max(1, Math.floor(max));
  if (chars.length <= limit) return chars.join('');
  if (limit <= 2) return chars.slice(0, limit - 1).join('') + ELLIPSIS;
  const room = limit - 1;
  let tailStart = chars.length - Math.ceil(room * TAIL_SHARE);
  for (let i = tailStart; i < Math.min(chars.length - 1, tailStart + WORD_SNAP); i++) {
    if (chars[i - 1] === ' ' && chars[i] !== ' ') {
      tailStart = i;
      break;
    }
  }
  const tail = chars.slice(tailStart).join('');
  const head = chars
    .slice(0, room - (chars.length - tailStart))
    .join('')
    .trimEnd();
  return `${head}${ELLIPSIS}${tail}`;
}
