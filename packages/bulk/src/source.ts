// Accounts come from an array, a generator or a stream of lines: pulled one at a time, never all held.

export type Accounts<T> = Iterable<T> | AsyncIterable<T>;

/** An iterator over `items` that can tell how many it has not handed out yet (known only for an array). */
export interface CountedIterator<T> extends AsyncIterator<T> {
  /** Items not pulled yet: `undefined` unless `items` is an array. */
  left(): number | undefined;
}

/** `iteratorOf(items)`, counting what it handed out. */
export function countedIterator<T>(items: Accounts<T>): CountedIterator<T> {
  const inner = iteratorOf(items);
  let pulled = 0;
  return {
    next: async () => {
      const next = await inner.next();
      if (!next.done) pulled += 1;
      return next;
    },
    left: () => (Array.isArray(items) ? items.length - pulled : undefined),
  };
}

export function iteratorOf<T>(items: Accounts<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in items) return items[Symbol.asyncIterator]();
  const sync = items[Symbol.iterator]();
  return { next: async () => sync.next() };
}
