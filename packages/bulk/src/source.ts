// Accounts come from an array, a generator or a stream of lines: pulled one at a time, never all held.

export type Accounts<T> = Iterable<T> | AsyncIterable<T>;

export function iteratorOf<T>(items: Accounts<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in items) return items[Symbol.asyncIterator]();
  const sync = items[Symbol.iterator]();
  return { next: async () => sync.next() };
}
