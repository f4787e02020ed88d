import { createHash } from "node:crypto";

/**
 * A stable object id: a UUID (version 5 layout) made from a sha1 of the tenant
 * id, the object kind and its natural key, so the same fixture always yields
 * the same ids.
 */
export function derivedId(tenantId: string, kind: string, key: string): string {
  const hex = createHash("sha1")
    .update(`${tenantId.toLowerCase()}|${kind}|${key.toLowerCase()}`)
    .digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A small seeded PRNG (mulberry32): deterministic faults, batch order and generated tenants. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
