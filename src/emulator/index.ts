/**
 * A local Microsoft Graph v1.0 emulator of the licensing surface: serves a
 * tenant fixture on loopback and behaves like Graph (paging, $select,
 * $filter, $batch, seat accounting, group-based licensing, errors, faults).
 */
export { startEmulator, DEFAULT_GROUP_PROCESSING_DELAY_MS } from "./server.js";
export { loadTenantFixture, parseTenantFixture } from "./fixture.js";
export { generateTenant, type GenerateTenantOptions } from "./generator.js";
export { continuityViolations, type LicenseEvent } from "./license-timeline.js";
export type { LostWriteFault, WriteThrottle } from "./faults.js";
export type { EmulatorOptions, EmulatorCounters, RunningEmulator, TenantSnapshot } from "./types.js";
export type {
  TenantFixture,
  FixtureTenant,
  FixtureSku,
  FixtureSubscription,
  FixtureUser,
  FixtureSignInActivity,
  FixtureGroup,
  FixtureLicense,
  FixtureRules,
} from "./fixture-types.js";
