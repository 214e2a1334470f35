// Small helpers over Maps: lists by key (Map.groupBy needs Node 21), and lookups with some entries replaced;
// and positions grouped by a small integer key, in typed arrays.

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

/** Positions grouped by key (a counting sort): key k's are `positions[start[k] … start[k + 1])`, in order. */
export interface PositionsByKey {
  readonly start: Int32Array;
  readonly positions: Int32Array;
}

/** The positions 0 … keys.length − 1 grouped by `keys[position]`, each in 0 … keyCount − 1; negative keys are left out. */
export function groupPositions(keys: ArrayLike<number>, keyCount: number): PositionsByKey {
  const start = new Int32Array(keyCount + 1);
  for (let position = 0; position < keys.length; position++) if (keys[position]! >= 0) start[keys[position]! + 1]!++;
  for (let key = 0; key < keyCount; key++) start[key + 1]! += start[key]!;
  const next = start.slice(0, -1);
  const positions = new Int32Array(start[keyCount]!);
  for (let position = 0; position < keys.length; position++) if (keys[position]! >= 0) positions[next[keys[position]!]!++] = position;
  return { start, positions };
}
