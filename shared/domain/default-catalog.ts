/**
 * The catalog shipped with the product (catalog/*.json), validated once and cached.
 * The JSON is imported, not read from disk, so it is bundled with every function.
 */
import departments from '../../catalog/departments.json';
import items from '../../catalog/items.json';
import { Catalog } from './catalog';

let cached: Catalog | undefined;

/** The shipped catalog. Throws a CatalogError on first use if the data does not hold together. */
export function loadDefaultCatalog(): Catalog {
  cached ??= Catalog.fromData(items, departments);
  return cached;
}
