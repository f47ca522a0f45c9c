/**
 * What the event stream pushed while a read was on its way. The server answered a read at some moment of
 * its flight, so a push that came meanwhile may be newer than the answer; without this the older answer
 * would overwrite it, and nothing is pushed again until the thing changes. `mark()` when the request goes
 * out; after the answer, `since(mark, id)` (or `allSince(mark)`) names what was pushed after it.
 */
export interface PushesMeanwhile<T> {
  /** Note a push of `id`. */
  push(id: string, value: T): void;
  /** The count of pushes so far, taken when a request goes out. */
  mark(): number;
  /** The last push of `id`, if it came after `mark`. */
  since(mark: number, id: string): { value: T } | undefined;
  /** Every id's last push that came after `mark`, in the order of those pushes. */
  allSince(mark: number): [string, T][];
}

export function pushesMeanwhile<T>(): PushesMeanwhile<T> {
  let count = 0;
  const last = new Map<string, { value: T; at: number }>();
  return {
    push(id, value) {
      count += 1;
      // Re-inserted, so the map keeps the order of the last pushes.
      last.delete(id);
      last.set(id, { value, at: count });
    },
    mark: () => count,
    since(mark, id) {
      const p = last.get(id);
      return p && p.at > mark ? p : undefined;
    },
    allSince(mark) {
      const out: [string, T][] = [];
      for (const [id, p] of last) if (p.at > mark) out.push([id, p.value]);
      return out;
    },
  };
}
