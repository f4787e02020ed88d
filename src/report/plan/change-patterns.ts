import type { Change, ChangeReason, Plan } from "../../model/plan.js";
import { formatLocation } from "./describe-plan.js";

/**
 * The shape of a plan at a glance: its changes grouped by what they do
 * (action), to which SKU, and why. A plan of 1,250 changes is usually a
 * handful of patterns ("add SPE_E5 to 900 users, declared in
 * users/sales.yaml"), which a reviewer can judge where 1,250 rows cannot be
 * read. Pure.
 */
export interface ChangePattern {
  readonly action: "add" | "remove" | "update plans" | "set usage location";
  readonly principalKind: "user" | "group";
  /** SKU part number, or the usage location set. */
  readonly subject: string;
  /** Reason codes of the changes, sorted and joined with "+". */
  readonly reason: string;
  readonly count: number;
  /** The first few principals, in plan order. */
  readonly examples: readonly string[];
  /** The first few places (file:line) that declare them. */
  readonly declaredAt: readonly string[];
  /** Files that declare them, however many. */
  readonly files: number;
}

/** How many names and places a pattern shows. */
export const PATTERN_EXAMPLES = 3;

const REASON_LABELS: Record<ChangeReason["code"], string> = {
  declared: "declared",
  "not-declared": "not declared (authoritative scope)",
  "plans-differ": "service plans differ",
  "allow-list-new-plan": "new plan not on the allow-list",
  "usage-location-declared": "declared",
  "usage-location-default": "tenant default",
  "covered-by-group": "covered by a group",
  "replaced-by-group": "replaced through a group",
  swap: "swap",
};

/** A pattern's reason, in words. */
export function reasonLabel(pattern: ChangePattern): string {
  return pattern.reason
    .split("+")
    .map((code) => REASON_LABELS[code as ChangeReason["code"]] ?? code)
    .join(" + ");
}

const ORDER: Record<ChangePattern["action"], number> = {
  remove: 0,
  "update plans": 1,
  add: 2,
  "set usage location": 3,
};

function facets(change: Change): { action: ChangePattern["action"]; subject: string }[] {
  if (change.kind === "setUsageLocation") return [{ action: "set usage location", subject: change.to }];
  return [
    ...change.remove.map((r) => ({ action: "remove" as const, subject: r.skuPartNumber })),
    ...change.update.map((u) => ({ action: "update plans" as const, subject: u.skuPartNumber })),
    ...change.add.map((a) => ({ action: "add" as const, subject: a.skuPartNumber })),
  ];
}

interface Accumulator {
  pattern: Omit<ChangePattern, "count" | "examples" | "declaredAt" | "files">;
  count: number;
  examples: string[];
  declaredAt: string[];
  files: Set<string>;
}

/** The plan's change patterns, largest first. A swap counts once under remove and once under add. */
export function changePatterns(plan: Plan): ChangePattern[] {
  const patterns = new Map<string, Accumulator>();
  for (const wave of plan.waves) {
    for (const change of wave.changes) {
      const principal = change.kind === "setUsageLocation" ? change.user : change.target;
      const reason = [...new Set(change.reasons.map((r) => r.code))].sort().join("+");
      const location = change.reasons.find((r) => r.location)?.location ?? principal.location;
      for (const { action, subject } of facets(change)) {
        const key = `${action}\u0000${principal.kind}\u0000${subject}\u0000${reason}`;
        let entry = patterns.get(key);
        if (entry === undefined) {
          entry = {
            pattern: { action, principalKind: principal.kind, subject, reason },
            count: 0,
            examples: [],
            declaredAt: [],
            files: new Set(),
          };
          patterns.set(key, entry);
        }
        entry.count += 1;
        if (entry.examples.length < PATTERN_EXAMPLES) entry.examples.push(principal.name);
        if (location !== undefined) {
          if (entry.declaredAt.length < PATTERN_EXAMPLES) entry.declaredAt.push(formatLocation(location));
          entry.files.add(location.file);
        }
      }
    }
  }
  return [...patterns.values()]
    .map(({ pattern, count, examples, declaredAt, files }) => ({
      ...pattern,
      count,
      examples,
      declaredAt,
      files: files.size,
    }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        ORDER[a.action] - ORDER[b.action] ||
        (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0),
    );
}

/** "add to users", "remove from groups", "update plans of users", "set usage location of users". */
export function actionLabel(pattern: ChangePattern, count = pattern.count): string {
  const who = `${pattern.principalKind}${count === 1 ? "" : "s"}`;
  switch (pattern.action) {
    case "add":
      return `add to ${who}`;
    case "remove":
      return `remove from ${who}`;
    case "update plans":
      return `update plans of ${who}`;
    default:
      return `set usage location of ${who}`;
  }
}
