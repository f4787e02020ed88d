const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/** GUIDs compare case-insensitively; licensectl keeps them lower-case. */
export function normalizeGuid(text: string): string {
  return text.toLowerCase();
}
