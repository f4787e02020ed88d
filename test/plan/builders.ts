/**
 * Fixture builders for planner tests (and anyone else who needs a LiveState or
 * a ResolvedDesiredState). Ids are GUIDs derived from names, so fixtures are
 * readable and stable:
 *
 *   const t = tenant()
 *     .sku("ENTERPRISEPACK", { seats: 10, plans: ["EXCHANGE_S_ENTERPRISE", "SWAY"] })
 *     .user("a@x.com", { licenses: ["ENTERPRISEPACK"] })
 *     .group("Sales", { licenses: ["SPE_E5"], members: ["a@x.com"] });
 *   const live = t.live();
 *   const same = t.desired();                                  // declares exactly the live direct state
 *   const changed = t.manifest().user("a@x.com", { licenses: ["SPE_E5"] }).build();
 */
import { createHash } from "node:crypto";
import type {
  LocatedName,
  ResolvedDesiredState,
  ResolvedLicense,
  ResolvedPrincipal,
  ScopeMode,
} from "../../src/model/desired-state.js";
import type {
  LicenseAssignmentState,
  LiveGroup,
  LiveSku,
  LiveState,
  LiveUser,
} from "../../src/model/live-state.js";
import type { SourceLocation } from "../../src/model/problem.js";

/** A GUID derived from a seed: the same seed always gives the same id. */
export function guidFor(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type LicenseSpec =
  | string
  | {
      readonly sku: string;
      readonly disabledPlans?: readonly string[];
      readonly enabledPlans?: readonly string[];
    };

export interface SkuOptions {
  /** prepaidUnits.enabled; default 100. */
  readonly seats?: number;
  /** servicePlanNames; default EXCHANGE_S_ENTERPRISE, TEAMS1, SWAY. */
  readonly plans?: readonly string[];
  /** capabilityStatus; default Enabled. */
  readonly status?: string;
  /** default User. */
  readonly appliesTo?: string;
  /** consumedUnits; default: counted from the users holding the SKU. */
  readonly consumed?: number;
}

export interface UserOptions {
  readonly id?: string;
  /** Direct licenses. */
  readonly licenses?: readonly LicenseSpec[];
  /** default "US"; null for none. */
  readonly usageLocation?: string | null;
  readonly displayName?: string;
}

export interface GroupOptions {
  readonly id?: string;
  readonly licenses?: readonly LicenseSpec[];
  /** userPrincipalNames of direct members; they inherit the group's licenses. */
  readonly members?: readonly string[];
  /** default true. */
  readonly securityEnabled?: boolean;
  readonly mailNickname?: string | null;
  /** Leave memberIds undefined, as when the reader did not read them. */
  readonly membersUnread?: boolean;
  /**
   * Members (by userPrincipalName) whose assignment from this group failed,
   * with Graph's error code: every SKU of the group is then in state Error for
   * them (all or none per member) and not in their assignedLicenses.
   */
  readonly memberErrors?: Readonly<Record<string, string>>;
}

export interface TenantOptions {
  readonly id?: string;
  readonly displayName?: string;
  readonly countryLetterCode?: string | null;
}

export interface ManifestOptions {
  /** In-scope SKU part numbers; default every SKU of the tenant. */
  readonly scope?: readonly string[];
  readonly mode?: ScopeMode;
  /** tenant.id of the manifests; default the tenant's id. Pass null for none. */
  readonly tenantId?: string | null;
  readonly defaultUsageLocation?: string;
  readonly protectUsers?: readonly string[];
  readonly protectGroups?: readonly string[];
  readonly maxRemovals?: number;
}

interface SkuDef {
  readonly part: string;
  readonly options: SkuOptions;
}

const DEFAULT_PLANS = ["EXCHANGE_S_ENTERPRISE", "TEAMS1", "SWAY"];
export const MANIFEST_FILE = "manifests/licenses.yaml";

export class TenantBuilder {
  readonly id: string;
  readonly displayName: string;
  readonly countryLetterCode: string | null;
  private readonly skuDefs: SkuDef[] = [];
  private readonly userDefs: { upn: string; options: UserOptions }[] = [];
  private readonly groupDefs: { name: string; options: GroupOptions }[] = [];

  constructor(options: TenantOptions = {}) {
    this.id = options.id ?? guidFor("tenant:contoso");
    this.displayName = options.displayName ?? "Contoso";
    this.countryLetterCode = options.countryLetterCode === undefined ? "US" : options.countryLetterCode;
  }

  sku(part: string, options: SkuOptions = {}): this {
    this.skuDefs.push({ part, options });
    return this;
  }

  user(upn: string, options: UserOptions = {}): this {
    this.userDefs.push({ upn, options });
    return this;
  }

  group(name: string, options: GroupOptions = {}): this {
    this.groupDefs.push({ name, options });
    return this;
  }

  skuId(part: string): string {
    return guidFor(`sku:${part}`);
  }

  planId(name: string): string {
    return guidFor(`plan:${name}`);
  }

  userId(upn: string): string {
    return this.userDefs.find((u) => u.upn === upn)?.options.id ?? guidFor(`user:${upn.toLowerCase()}`);
  }

  groupId(name: string): string {
    return this.groupDefs.find((g) => g.name === name)?.options.id ?? guidFor(`group:${name}`);
  }

  plansOf(part: string): readonly string[] {
    return this.skuDefs.find((s) => s.part === part)?.options.plans ?? DEFAULT_PLANS;
  }

  skuParts(): string[] {
    return this.skuDefs.map((s) => s.part);
  }

  /** Disabled plan ids of a license spec, resolved against the SKU's plans. */
  disabledPlansOf(spec: LicenseSpec): string[] {
    if (typeof spec === "string") return [];
    if (spec.enabledPlans)
      return this.plansOf(spec.sku)
        .filter((p) => !spec.enabledPlans!.includes(p))
        .map((p) => this.planId(p))
        .sort();
    return (spec.disabledPlans ?? []).map((p) => this.planId(p)).sort();
  }

  live(): LiveState {
    const partOf = (spec: LicenseSpec) => (typeof spec === "string" ? spec : spec.sku);
    const inherited = new Map<string, LicenseAssignmentState[]>();
    const groups: LiveGroup[] = this.groupDefs.map(({ name, options }) => {
      const id = options.id ?? guidFor(`group:${name}`);
      const licenses = (options.licenses ?? []).map((spec) => ({
        skuId: this.skuId(partOf(spec)),
        disabledPlans: this.disabledPlansOf(spec),
      }));
      const memberIds = (options.members ?? []).map((upn) => this.userId(upn));
      for (const upn of options.members ?? []) {
        const member = this.userId(upn);
        const error = options.memberErrors?.[upn] ?? null;
        const states = inherited.get(member) ?? [];
        for (const l of licenses)
          states.push({ ...l, assignedByGroup: id, state: error ? "Error" : "Active", error });
        inherited.set(member, states);
      }
      return {
        id,
        displayName: name,
        mailNickname:
          options.mailNickname === undefined
            ? name.toLowerCase().replace(/[^a-z0-9]/g, "")
            : options.mailNickname,
        securityEnabled: options.securityEnabled ?? true,
        assignedLicenses: licenses,
        licenseProcessingState: licenses.length > 0 ? "ProcessingComplete" : null,
        ...(options.membersUnread ? {} : { memberIds }),
      };
    });
    const users: LiveUser[] = this.userDefs.map(({ upn, options }) => {
      const id = options.id ?? guidFor(`user:${upn.toLowerCase()}`);
      const direct: LicenseAssignmentState[] = (options.licenses ?? []).map((spec) => ({
        skuId: this.skuId(partOf(spec)),
        disabledPlans: this.disabledPlansOf(spec),
        assignedByGroup: null,
        state: "Active",
        error: null,
      }));
      const states = [...direct, ...(inherited.get(id) ?? [])];
      const assigned = new Map<string, string[]>();
      for (const s of states)
        if (s.state !== "Error" && !assigned.has(s.skuId)) assigned.set(s.skuId, [...s.disabledPlans]);
      return {
        id,
        userPrincipalName: upn,
        displayName: options.displayName ?? upn.split("@")[0] ?? upn,
        usageLocation: options.usageLocation === undefined ? "US" : options.usageLocation,
        accountEnabled: true,
        assignedLicenses: [...assigned].map(([skuId, disabledPlans]) => ({ skuId, disabledPlans })),
        licenseAssignmentStates: states,
      };
    });
    const skus: LiveSku[] = this.skuDefs.map(({ part, options }) => {
      const skuId = this.skuId(part);
      const holders = users.filter((u) => u.assignedLicenses.some((l) => l.skuId === skuId)).length;
      return {
        skuId,
        skuPartNumber: part,
        appliesTo: options.appliesTo ?? "User",
        capabilityStatus: options.status ?? "Enabled",
        consumedUnits: options.consumed ?? holders,
        prepaidUnits: { enabled: options.seats ?? 100, suspended: 0, warning: 0, lockedOut: 0 },
        servicePlans: (options.plans ?? DEFAULT_PLANS).map((name) => ({
          servicePlanId: this.planId(name),
          servicePlanName: name,
          provisioningStatus: "Success",
          appliesTo: "User",
        })),
      };
    });
    return {
      tenant: { id: this.id, displayName: this.displayName, countryLetterCode: this.countryLetterCode },
      skus,
      users,
      groups,
    };
  }

  /** An empty manifest resolved against this tenant's SKU and plan names. */
  manifest(options: ManifestOptions = {}): ManifestBuilder {
    return new ManifestBuilder(this, options);
  }

  /** A manifest declaring exactly the tenant's direct in-scope licenses and usage locations: planning it against live() is empty. */
  desired(options: ManifestOptions = {}): ResolvedDesiredState {
    const manifest = this.manifest(options);
    const scope = new Set(options.scope ?? this.skuParts());
    const inScope = (spec: LicenseSpec) => scope.has(typeof spec === "string" ? spec : spec.sku);
    for (const { upn, options: u } of this.userDefs) {
      const licenses = (u.licenses ?? []).filter(inScope);
      if (licenses.length > 0) manifest.user(upn, { licenses });
    }
    for (const { name, options: g } of this.groupDefs) {
      const licenses = (g.licenses ?? []).filter(inScope);
      if (licenses.length > 0) manifest.group(name, { licenses });
    }
    return manifest.build();
  }
}

export function tenant(options: TenantOptions = {}): TenantBuilder {
  return new TenantBuilder(options);
}

/** Builds a ResolvedDesiredState with a fake manifest file: every entry gets its own line. */
export class ManifestBuilder {
  private line = 1;
  private readonly options: ManifestOptions;
  private readonly users: ResolvedPrincipal[] = [];
  private readonly groups: ResolvedPrincipal[] = [];
  private readonly protectUsers: LocatedName[] = [];
  private readonly protectGroups: LocatedName[] = [];

  constructor(
    private readonly tenant: TenantBuilder,
    options: ManifestOptions = {},
  ) {
    this.options = { ...options };
    for (const name of options.protectUsers ?? []) this.protectUser(name);
    for (const name of options.protectGroups ?? []) this.protectGroup(name);
  }

  private next(column = 3): SourceLocation {
    return { file: MANIFEST_FILE, line: this.line++, column };
  }

  private resolve(spec: LicenseSpec): ResolvedLicense {
    const part = typeof spec === "string" ? spec : spec.sku;
    const planMode =
      typeof spec === "string" ? "all" : spec.enabledPlans ? "allow" : spec.disabledPlans ? "deny" : "all";
    return {
      skuId: this.tenant.skuId(part),
      skuPartNumber: part,
      disabledPlans: this.tenant.disabledPlansOf(spec),
      planMode,
      ...(typeof spec !== "string" && spec.enabledPlans
        ? { enabledPlans: spec.enabledPlans.map((p) => this.tenant.planId(p)).sort() }
        : {}),
      location: this.next(7),
    };
  }

  user(ref: string, entry: { licenses?: readonly LicenseSpec[]; usageLocation?: string } = {}): this {
    const location = this.next();
    this.users.push({
      kind: "user",
      ref,
      ...(entry.usageLocation !== undefined ? { usageLocation: entry.usageLocation } : {}),
      licenses: (entry.licenses ?? []).map((l) => this.resolve(l)),
      location,
    });
    return this;
  }

  group(ref: string, entry: { licenses?: readonly LicenseSpec[] } = {}): this {
    const location = this.next();
    this.groups.push({
      kind: "group",
      ref,
      licenses: (entry.licenses ?? []).map((l) => this.resolve(l)),
      location,
    });
    return this;
  }

  protectUser(name: string): this {
    this.protectUsers.push({ name, location: this.next(5) });
    return this;
  }

  protectGroup(name: string): this {
    this.protectGroups.push({ name, location: this.next(5) });
    return this;
  }

  build(): ResolvedDesiredState {
    const o = this.options;
    const tenantId = o.tenantId === undefined ? this.tenant.id : o.tenantId;
    const body = {
      tenant: {
        ...(tenantId !== null ? { id: tenantId } : {}),
        ...(o.defaultUsageLocation ? { defaultUsageLocation: o.defaultUsageLocation } : {}),
      },
      scope: {
        skuIds: (o.scope ?? this.tenant.skuParts()).map((p) => this.tenant.skuId(p)),
        mode: o.mode ?? "authoritative",
      },
      protect: { users: [...this.protectUsers], groups: [...this.protectGroups] },
      limits: o.maxRemovals !== undefined ? { maxRemovals: o.maxRemovals } : {},
      users: [...this.users],
      groups: [...this.groups],
    };
    return { ...body, digest: `sha256:${createHash("sha256").update(JSON.stringify(body)).digest("hex")}` };
  }
}
