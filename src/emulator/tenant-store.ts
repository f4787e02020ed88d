import type { AssignRequest } from "./assign-request.js";
import {
  companyOnlySku,
  dependencyViolation,
  groupLacksLicense,
  inheritedLicense,
  invalidUsageLocation,
  mutuallyExclusive,
  noAvailableLicenses,
  notACompanyLicense,
  planNotInSku,
  resourceNotFound,
  userLacksLicense,
  type GraphError,
} from "./errors.js";
import { enabledPlans, newViolations, type RuleViolation } from "./license-rules.js";
import { LicenseTimeline } from "./license-timeline.js";
import {
  FIXTURE_EPOCH,
  type GroupRecord,
  type LicenseStateRecord,
  type SkuRecord,
  type TenantData,
  type UserRecord,
} from "./tenant-model.js";

/** Directory timestamps come without fractions of a second, e.g. 2025-02-13T10:17:06Z. */
const graphTimestamp = () => `${new Date().toISOString().slice(0, 19)}Z`;

const isActive = (s: LicenseStateRecord) => s.state === "Active" || s.state === "ActiveWithError";

const violationError = (v: RuleViolation): GraphError =>
  v.kind === "dependency"
    ? dependencyViolation(v.plan, v.requires)
    : mutuallyExclusive(v.plans[0], v.plans[1]);

/**
 * The tenant's state and Graph's licensing rules over it: seat accounting,
 * atomic assignLicense, direct and group-inherited assignment states. Pure
 * of I/O; group processing is driven by {@link GroupProcessor}.
 */
export class TenantStore {
  readonly data: TenantData;
  private readonly usersById = new Map<string, UserRecord>();
  private readonly usersByUpn = new Map<string, UserRecord>();
  private readonly groupsById = new Map<string, GroupRecord>();
  readonly skusById = new Map<string, SkuRecord>();
  /** Called with a record just before the store changes it (the consistency-lag view keeps the old version). */
  onBeforeChange: (record: UserRecord | GroupRecord | SkuRecord) => void = () => {};
  private changes = 0;
  /** Every change of a user's held SKUs, in order (loading the fixture is not recorded). */
  readonly timeline = new LicenseTimeline();
  private loaded = false;
  /** Lower-cased userPrincipalNames by position in `users`; built on first use, dropped on a rename. */
  private upnKeys: string[] | undefined;

  /** `processGroups`: hand group licenses to members now (a fixture); false for a persisted state. */
  constructor(data: TenantData, processGroups: boolean) {
    this.data = data;
    for (const sku of data.skus) this.skusById.set(sku.skuId, sku);
    for (const user of data.users) {
      this.usersById.set(user.id, user);
      this.usersByUpn.set(user.userPrincipalName.toLowerCase(), user);
    }
    for (const group of data.groups) this.groupsById.set(group.id, group);
    this.recountSeats();
    if (processGroups) {
      for (const group of data.groups) {
        if (group.licenses.length > 0) this.applyGroupToMembers(group, "load");
      }
    }
    this.loaded = true;
  }

  /**
   * Every change to a record goes through here, just before it is made:
   * the generation moves on (what was answered before may now be stale)
   * and the hook sees the record as it was.
   */
  beforeChange(record: UserRecord | GroupRecord | SkuRecord): void {
    this.changes += 1;
    this.onBeforeChange(record);
  }

  /** Changes made so far: equal generations, the same tenant. */
  get generation(): number {
    return this.changes;
  }

  get users(): readonly UserRecord[] {
    return this.data.users;
  }

  get groups(): readonly GroupRecord[] {
    return this.data.groups;
  }

  /** A user by id or userPrincipalName (case-insensitive), or undefined. */
  findUser(idOrUpn: string): UserRecord | undefined {
    const key = idOrUpn.toLowerCase();
    return this.usersById.get(key) ?? this.usersByUpn.get(key);
  }

  /**
   * Lower-cased userPrincipalNames in the order of `users`, for `ge`/`le`
   * range filters on the whole collection (see FilterSubject.orderedKeys).
   */
  upnKeysByPosition(): readonly string[] {
    return (this.upnKeys ??= this.data.users.map((u) => u.userPrincipalName.toLowerCase()));
  }

  /** Gives a user a new userPrincipalName (checked unique by the caller). */
  renameUser(user: UserRecord, userPrincipalName: string): void {
    this.changes += 1;
    this.upnKeys = undefined;
    this.usersByUpn.delete(user.userPrincipalName.toLowerCase());
    user.userPrincipalName = userPrincipalName;
    this.usersByUpn.set(userPrincipalName.toLowerCase(), user);
  }

  user(idOrUpn: string): UserRecord {
    const user = this.findUser(idOrUpn);
    if (!user) throw resourceNotFound(idOrUpn);
    return user;
  }

  group(id: string): GroupRecord {
    const group = this.groupsById.get(id.toLowerCase());
    if (!group) throw resourceNotFound(id);
    return group;
  }

  /** SKUs the user holds through an active path; each counts one seat. */
  heldSkus(user: UserRecord): Set<string> {
    const held = new Set<string>();
    for (const s of user.states) if (isActive(s)) held.add(s.skuId);
    return held;
  }

  available(sku: SkuRecord): number {
    return sku.prepaidUnits.enabled - sku.consumedUnits;
  }

  /** assignedLicenses: one entry per SKU held, disabled plans = those disabled by every source. */
  assignedLicenses(user: UserRecord): { skuId: string; disabledPlans: string[] }[] {
    const bySku = new Map<string, string[]>();
    for (const s of user.states) {
      if (!isActive(s)) continue;
      const seen = bySku.get(s.skuId);
      bySku.set(s.skuId, seen ? seen.filter((p) => s.disabledPlans.includes(p)) : [...s.disabledPlans]);
    }
    return [...bySku].map(([skuId, disabledPlans]) => ({ disabledPlans, skuId }));
  }

  hasMembersWithLicenseErrors(group: GroupRecord): boolean {
    return this.membersWithLicenseErrors(group).length > 0;
  }

  membersWithLicenseErrors(group: GroupRecord): UserRecord[] {
    if (group.licenses.length === 0) return [];
    return group.memberIds
      .map((id) => this.usersById.get(id)!)
      .filter((u) =>
        u.states.some(
          (s) => s.assignedByGroup === group.id && (s.state === "Error" || s.state === "ActiveWithError"),
        ),
      );
  }

  /** Direct assignLicense on a user: validated in full first, then applied all at once. */
  assignUserLicenses(user: UserRecord, request: AssignRequest): void {
    this.checkSkus(request, "user");
    if (request.add.length > 0 && !user.usageLocation) throw invalidUsageLocation();
    for (const skuId of request.remove) {
      const direct = user.states.some((s) => s.skuId === skuId && s.assignedByGroup === null);
      if (direct) continue;
      if (user.states.some((s) => s.skuId === skuId)) throw inheritedLicense();
      throw userLacksLicense();
    }
    const now = graphTimestamp();
    const removing = new Set(request.remove);
    const next = user.states.filter((s) => !(s.assignedByGroup === null && removing.has(s.skuId)));
    for (const add of request.add) {
      const entry: LicenseStateRecord = {
        skuId: add.skuId,
        assignedByGroup: null,
        disabledPlans: [...add.disabledPlans],
        state: "Active",
        error: "None",
        lastUpdatedDateTime: now,
      };
      const at = next.findIndex((s) => s.skuId === add.skuId && s.assignedByGroup === null);
      if (at >= 0) next[at] = entry;
      else next.push(entry);
    }
    const before = enabledPlans(user.states.filter(isActive), this.skusById);
    const after = enabledPlans(next.filter(isActive), this.skusById);
    const broken = newViolations(before, after, this.data.rules);
    if (broken.length > 0) throw violationError(broken[0]!);
    const held = this.heldSkus(user);
    for (const add of request.add) {
      if (!held.has(add.skuId) && this.available(this.skusById.get(add.skuId)!) < 1)
        throw noAvailableLicenses(add.skuId);
    }
    this.replaceStates(user, next);
  }

  /** Group assignLicense: validated now, handed to members when the group is processed. */
  assignGroupLicenses(group: GroupRecord, request: AssignRequest): void {
    this.checkSkus(request, "group");
    for (const skuId of request.remove) {
      if (!group.licenses.some((l) => l.skuId === skuId)) throw groupLacksLicense();
    }
    const removing = new Set(request.remove);
    const next = group.licenses.filter((l) => !removing.has(l.skuId));
    for (const add of request.add) {
      const entry = { skuId: add.skuId, disabledPlans: [...add.disabledPlans] };
      const at = next.findIndex((l) => l.skuId === add.skuId);
      if (at >= 0) next[at] = entry;
      else next.push(entry);
    }
    // Group-based licensing wants an add-on's prerequisite in the same group, and no conflicting plans in it.
    const broken = newViolations(
      enabledPlans(group.licenses, this.skusById),
      enabledPlans(next, this.skusById),
      this.data.rules,
    );
    if (broken.length > 0) throw violationError(broken[0]!);
    this.beforeChange(group);
    group.licenses = next;
  }

  /**
   * Gives the group's licenses to its members (and takes back the ones it no
   * longer has), member by member, all or none per member: a member for whom
   * one of the group's SKUs fails gets every state of this group in Error.
   */
  applyGroupToMembers(group: GroupRecord, when: "load" | "now" = "now"): void {
    const stamp = when === "load" ? FIXTURE_EPOCH : graphTimestamp();
    for (const memberId of group.memberIds) {
      const user = this.usersById.get(memberId);
      if (user) this.applyGroupToMember(group, user, stamp);
    }
  }

  /** reprocessLicenseAssignment: re-evaluates every group-based assignment of the user. */
  reprocessUser(user: UserRecord): void {
    const stamp = graphTimestamp();
    for (const groupId of user.groupIds) {
      const group = this.groupsById.get(groupId);
      if (group && (group.licenses.length > 0 || user.states.some((s) => s.assignedByGroup === groupId)))
        this.applyGroupToMember(group, user, stamp);
    }
  }

  private applyGroupToMember(group: GroupRecord, user: UserRecord, stamp: string): void {
    const others = user.states.filter((s) => s.assignedByGroup !== group.id);
    const previous = new Map(
      user.states.filter((s) => s.assignedByGroup === group.id).map((s) => [s.skuId, s]),
    );
    const heldByOthers = new Set(others.filter(isActive).map((s) => s.skuId));
    let error: string | undefined;
    for (const license of group.licenses) {
      const sku = this.skusById.get(license.skuId);
      const holdsThroughThisGroup = previous.get(license.skuId) && isActive(previous.get(license.skuId)!);
      const seatFree = sku && (this.available(sku) >= 1 || holdsThroughThisGroup);
      if (!sku || (!heldByOthers.has(license.skuId) && !seatFree)) {
        error = "CountViolation";
        break;
      }
    }
    const hasRules = this.data.rules.dependencies.length > 0 || this.data.rules.mutuallyExclusive.length > 0;
    if (!error && hasRules && group.licenses.length > 0) {
      const before = enabledPlans(others.filter(isActive), this.skusById);
      const after = enabledPlans([...others.filter(isActive), ...group.licenses], this.skusById);
      const broken = newViolations(before, after, this.data.rules)[0];
      if (broken) error = broken.kind === "dependency" ? "DependencyViolation" : "MutuallyExclusiveViolation";
    }
    const mine = group.licenses.map((license): LicenseStateRecord => {
      // A SKU the member already had from this group stays assigned when a
      // later processing fails (ActiveWithError); the others are not given.
      const had = previous.get(license.skuId);
      const state = !error ? "Active" : had && isActive(had) ? "ActiveWithError" : "Error";
      const code = error ?? "None";
      const old = previous.get(license.skuId);
      const unchanged =
        old &&
        old.state === state &&
        old.error === code &&
        old.disabledPlans.join() === license.disabledPlans.join();
      return {
        skuId: license.skuId,
        assignedByGroup: group.id,
        disabledPlans: [...license.disabledPlans],
        state,
        error: code,
        lastUpdatedDateTime: unchanged ? old.lastUpdatedDateTime : stamp,
      };
    });
    this.replaceStates(user, [...others, ...mine]);
  }

  /** PATCH usageLocation; the code is checked by the route. */
  setUsageLocation(user: UserRecord, code: string | null): void {
    this.beforeChange(user);
    user.usageLocation = code;
  }

  private checkSkus(request: AssignRequest, target: "user" | "group"): void {
    for (const skuId of [...request.add.map((a) => a.skuId), ...request.remove]) {
      if (!this.skusById.has(skuId)) throw notACompanyLicense(skuId);
    }
    for (const add of request.add) {
      const sku = this.skusById.get(add.skuId)!;
      if (sku.appliesTo === "Company") throw companyOnlySku(sku.skuId, target);
      for (const plan of add.disabledPlans) {
        if (!sku.servicePlans.some((p) => p.servicePlanId === plan)) throw planNotInSku(plan, sku.skuId);
      }
    }
  }

  /** Swaps a user's states and moves seat counts by what the user now holds or no longer holds. */
  private replaceStates(user: UserRecord, next: LicenseStateRecord[]): void {
    const before = this.heldSkus(user);
    this.beforeChange(user);
    user.states = next;
    const after = this.heldSkus(user);
    const seat = (skuId: string, change: "gained" | "lost") => {
      const sku = this.skusById.get(skuId)!;
      this.beforeChange(sku);
      sku.consumedUnits += change === "gained" ? 1 : -1;
      if (this.loaded) this.timeline.record(user.id, skuId, change);
    };
    for (const skuId of before) if (!after.has(skuId)) seat(skuId, "lost");
    for (const skuId of after) if (!before.has(skuId)) seat(skuId, "gained");
  }

  private recountSeats(): void {
    for (const sku of this.data.skus) sku.consumedUnits = 0;
    for (const user of this.data.users) {
      for (const skuId of this.heldSkus(user)) {
        const sku = this.skusById.get(skuId);
        if (sku) sku.consumedUnits++;
      }
    }
  }
}
