import { normalizeGuid } from "../util/guid.js";
import { settle } from "../util/settle.js";
import type { GraphConnection } from "./create-graph-client.js";
import type { ReadBack, WriteOperation } from "./write-operations.js";

interface RawState {
  readonly skuId?: string;
  readonly disabledPlans?: readonly string[];
  readonly assignedByGroup?: string | null;
}

interface RawTarget {
  readonly usageLocation?: string | null;
  readonly licenseAssignmentStates?: readonly RawState[];
  readonly assignedLicenses?: readonly RawState[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const left = new Set(a.map(normalizeGuid));
  const right = new Set(b.map(normalizeGuid));
  return left.size === right.size && [...left].every((x) => right.has(x));
};

/** Shorter than the convergence check's: a lost answer holds up the rest of its wave. */
export const READ_BACK_SETTLE_DELAYS_MS: readonly number[] = [250, 500, 1_000];

/** The GET that shows whether `operation` is in effect. */
function readBackUrl(operation: WriteOperation): string {
  if (operation.kind === "setUsageLocation")
    return `/users/${encodeURIComponent(normalizeGuid(operation.userId))}?$select=id,usageLocation`;
  const id = encodeURIComponent(normalizeGuid(operation.target.id));
  return operation.target.kind === "user"
    ? `/users/${id}?$select=id,licenseAssignmentStates`
    : `/groups/${id}?$select=id,assignedLicenses`;
}

/** Whether the target, as read, already holds what the operation asked for. */
export function writeInEffect(operation: WriteOperation, record: RawTarget | undefined): boolean {
  if (operation.kind === "setUsageLocation")
    return (record?.usageLocation ?? "").toUpperCase() === operation.usageLocation.toUpperCase();
  const { target, body } = operation;
  const direct =
    target.kind === "user"
      ? (record?.licenseAssignmentStates ?? []).filter(
          (s) => s.assignedByGroup === null || s.assignedByGroup === undefined,
        )
      : (record?.assignedLicenses ?? []);
  const held = (skuId: string) =>
    direct.find((s) => s.skuId !== undefined && normalizeGuid(s.skuId) === normalizeGuid(skuId));
  return (
    body.addLicenses.every((add) => {
      const found = held(add.skuId);
      return found !== undefined && sameSet(found.disabledPlans ?? [], add.disabledPlans);
    }) && body.removeLicenses.every((skuId) => held(skuId) === undefined)
  );
}

/**
 * After an attempt whose answer was lost (503/504, a dropped connection, an
 * item missing from a `$batch` answer), the write may or may not have been
 * carried out, and sending it again is not harmless: a retried removal or
 * swap fails with "User does not have a corresponding license" once the first
 * attempt went through. Reads the target back: "applied" when it already
 * holds what the operation asked for (licenses as direct assignments with
 * the same disabled plans, or the usage location), "not-applied" when it does
 * not, "unknown" when the read itself failed.
 *
 * When the write removes licenses, a read that shows it missing is read
 * again after each of `settleDelays` (by default 0.25, 0.5 and 1 second)
 * before it is believed: Entra is eventually consistent (see `settle`), so a
 * removal carried out a moment ago can still be missing from a read, and
 * sending it again would fail. Adding a license the target already holds
 * with the same disabled plans, or setting the usage location it already
 * has, is harmless, so those are sent again on the first read. A read that
 * shows the write in effect is believed at once.
 */
export async function readBackWrite(
  connection: GraphConnection,
  operation: WriteOperation,
  settleDelays?: readonly number[],
): Promise<ReadBack> {
  const readOnce = async (): Promise<ReadBack> => {
    try {
      const response = await connection.send({ method: "GET", url: readBackUrl(operation) });
      if (response.status !== 200) return "unknown";
      return writeInEffect(operation, response.body as RawTarget | undefined) ? "applied" : "not-applied";
    } catch {
      return "unknown";
    }
  };
  const removes = operation.kind === "assignLicense" && operation.body.removeLicenses.length > 0;
  const delays = removes ? (settleDelays ?? READ_BACK_SETTLE_DELAYS_MS) : [];
  return settle(readOnce, (verdict) => verdict !== "not-applied", delays);
}
