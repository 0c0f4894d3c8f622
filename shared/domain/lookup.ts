/**
 * `table[key]` for a key that may come from unvalidated input: undefined unless the table has
 * the key as its own property (so "toString" or "__proto__" never reads the prototype).
 */
export function lookup<K extends PropertyKey, V>(table: Readonly<Record<K, V>>, key: K): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
