/**
 * The order of a list of ids as a stable sort by UTF-16 code units would
 * give it (Array.prototype.sort's default order, compareText's order),
 * returned as positions. Written for the live digest of large tenants:
 * ids that are GUIDs are ordered first by the number their first eight hex
 * digits spell, one numeric sort of a typed array, and only ids sharing
 * those digits are compared as strings. Other ids take a plain stable sort.
 */

/** Positions fit beside a 32-bit prefix in a double's 53 bits of integer precision. */
const MAX_FAST = 2 ** 21;

/** The value of the first eight characters as lower-case hex digits, or -1 if they are not. */
function hexPrefix(id: string): number {
  if (id.length < 8) return -1;
  let value = 0;
  for (let i = 0; i < 8; i += 1) {
    const c = id.charCodeAt(i);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

const byText =
  (ids: readonly string[]) =>
  (a: number, b: number): number => {
    const x = ids[a]!;
    const y = ids[b]!;
    return x < y ? -1 : x > y ? 1 : a - b;
  };

/** Positions of `ids` in ascending code-unit order; equal ids keep their input order. */
export function idOrder(ids: readonly string[]): readonly number[] {
  const n = ids.length;
  const keys = n <= MAX_FAST ? new Float64Array(n) : undefined;
  for (let i = 0; keys !== undefined && i < n; i += 1) {
    const prefix = hexPrefix(ids[i]!);
    if (prefix < 0) return plainOrder(ids);
    keys[i] = prefix * MAX_FAST + i;
  }
  if (keys === undefined) return plainOrder(ids);
  // Hex digits order as their code units do ('0'-'9' before 'a'-'f'), so the prefix orders as the text.
  keys.sort();
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i += 1) order[i] = keys[i]! % MAX_FAST;
  // Runs sharing a prefix: order them by the whole id (position breaks ties, keeping the sort stable).
  const compare = byText(ids);
  for (let start = 0; start < n;) {
    const prefix = Math.floor(keys[start]! / MAX_FAST);
    let end = start + 1;
    while (end < n && Math.floor(keys[end]! / MAX_FAST) === prefix) end += 1;
    if (end - start > 1) {
      const run = order.slice(start, end).sort(compare);
      for (let i = 0; i < run.length; i += 1) order[start + i] = run[i]!;
    }
    start = end;
  }
  return order;
}

function plainOrder(ids: readonly string[]): readonly number[] {
  return ids.map((_, i) => i).sort(byText(ids));
}
