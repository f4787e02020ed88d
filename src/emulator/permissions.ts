import { insufficientPrivileges } from "./errors.js";
import type { TenantInfo } from "./tenant-model.js";

/** The permissions the emulator checks: subscriptions need the first, users' signInActivity the second. */
export type CheckedPermission = "Organization.Read.All" | "AuditLog.Read.All";

/**
 * The application permissions the emulator checks, and the granted ones
 * that also satisfy each (a broader permission covers a narrower read; from
 * the permissions sections of the Microsoft Graph API reference pages
 * "List subscriptions" and "List users"). Only these routes are checked:
 * everything else is served whatever the fixture grants.
 */
const SATISFIED_BY: Readonly<Record<CheckedPermission, readonly string[]>> = {
  "Organization.Read.All": [
    "Organization.Read.All",
    "Organization.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
  ],
  "AuditLog.Read.All": ["AuditLog.Read.All"],
};

/**
 * Throws Graph's 403 Authorization_RequestDenied when the fixture lists the
 * app's permissions and none of them grants `needed`. A tenant without a
 * list grants everything, as the emulator always did.
 */
export function requirePermission(tenant: TenantInfo, needed: CheckedPermission): void {
  if (tenant.permissions === undefined) return;
  const granted = new Set(tenant.permissions.map((p) => p.toLowerCase()));
  if (!SATISFIED_BY[needed].some((p) => granted.has(p.toLowerCase()))) throw insufficientPrivileges();
}
