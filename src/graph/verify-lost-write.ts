import { normalizeGuid } from "../util/guid.js";
import type { GraphConnection } from "./create-graph-client.js";
import type { WriteOperation } from "./write-operations.js";

interface RawState {
  readonly skuId?: string;
  readonly disabledPlans?: readonly string[];
  readonly assignedByGroup?: string | null;
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const left = new Set(a.map(normalizeGuid));
  const right = new Set(b.map(normalizeGuid));
  return left.size === right.size && [...left].every((x) => right.has(x));
};

/**
 * After an attempt whose answer was lost, a retried assignLicense can fail only
 * because the first attempt was carried out (e.g. "User does not have a
 * corresponding license" for a license it already removed). Reads the target
 * back: true when its direct licenses are already what the operation asked
 * for, so the write is done and must not be reported as failed.
 */
export async function writeAlreadyApplied(
  connection: GraphConnection,
  operation: WriteOperation,
): Promise<boolean> {
  if (operation.kind !== "assignLicense") return false;
  const { target, body } = operation;
  const id = encodeURIComponent(normalizeGuid(target.id));
  try {
    const response = await connection.send({
      method: "GET",
      url:
        target.kind === "user"
          ? `/users/${id}?$select=id,licenseAssignmentStates`
          : `/groups/${id}?$select=id,assignedLicenses`,
    });
    if (response.status !== 200) return false;
    const record = response.body as
      { licenseAssignmentStates?: RawState[]; assignedLicenses?: RawState[] } | undefined;
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
  } catch {
    return false;
  }
}
