// Small helpers over Maps: lists by key (Map.groupBy needs Node 21), and lookups with some entries replaced.

export function appendTo<K, T>(groups: Map<K, T[]>, key: K, item: T): void {
  const group = groups.get(key);
  if (group) group.push(item);
  else groups.set(key, [item]);
}

/** Items by key, each list in the items' order. */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) appendTo(groups, key(item), item);
  return groups;
}

/** All a lookup asks of a Map. */
export type Lookup<K, V> = Pick<ReadonlyMap<K, V>, 'get'>;

/** `base` as seen with the entries of `replaced` in place of its own: no copy of `base`. */
export function overlay<K, V>(replaced: ReadonlyMap<K, V>, base: Lookup<K, V>): Lookup<K, V> {
  return { get: (key) => replaced.get(key) ?? base.get(key) };
}
