import type { ApplyResult } from "../../src/apply/apply-result.js";
import { E3, E5 } from "./plan-builder.js";

/** An apply result with one of everything, for renderer tests. */
export const SAMPLE_RESULT: ApplyResult = {
  applied: [
    {
      changeId: "loc-bob",
      kind: "setUsageLocation",
      waveIndex: 0,
      waveKind: "usage-locations",
      principal: { kind: "user", id: "u-bob", name: "bob@contoso.com" },
      status: "applied",
      usageLocation: { from: null, to: "US" },
      httpStatus: 204,
      attempts: 1,
    },
  ],
  failed: [
    {
      changeId: "add-adele",
      kind: "assignLicenses",
      waveIndex: 1,
      waveKind: "add-users",
      principal: { kind: "user", id: "u-adele", name: "adele.vance@contoso.com" },
      status: "failed",
      skus: { add: [E5], update: [], remove: [E3] },
      httpStatus: 400,
      attempts: 1,
      error: {
        code: "Request_BadRequest",
        message: `Subscription with SKU ${E5.skuId} does not have any available licenses.`,
      },
    },
  ],
  unknown: [],
  skipped: [
    {
      changeId: "add-carol",
      kind: "assignLicenses",
      waveIndex: 1,
      waveKind: "add-users",
      principal: { kind: "user", id: "u-carol", name: "carol@contoso.com" },
      status: "skipped",
      skus: { add: [E3], update: [], remove: [] },
      reason: {
        code: "usage-location-failed",
        message: "the usage location of carol@contoso.com could not be set (change loc-carol)",
        dependsOnChange: "loc-carol",
      },
    },
  ],
  groupErrors: [
    {
      userId: "u-dan",
      userPrincipalName: "dan@contoso.com",
      skuId: E3.skuId,
      skuPartNumber: "ENTERPRISEPACK",
      error: "CountViolation",
      groupId: "g-sales",
      groupName: "Sales",
    },
  ],
  warnings: ["License processing of group Sales did not complete within 600s after the last wave."],
  batches: 2,
  requests: 3,
  retries: 1,
  throttled: 1,
  answersLost: 0,
  durationMs: 3_240,
};
