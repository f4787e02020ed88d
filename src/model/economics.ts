import type { LocatedName } from "./desired-state.js";
import type { SkuRef } from "./plan.js";
import type { SourceLocation } from "./problem.js";

/**
 * License economics: what SKUs cost and the policies a plan must keep.
 * Prices are the organisation's own (agreements differ from list prices), so
 * licensectl never invents one: without a price table, reports carry no money.
 */

/** The billing period a price is stated for. */
export type PricePeriod = "month" | "year";

/** One price as written in the manifests or a `--prices` CSV file, SKU name unresolved. */
export interface DesiredPrice {
  /** skuPartNumber, product display name or skuId GUID, as written. */
  readonly sku: string;
  /** Price of one seat for one `period`, in `currency`. */
  readonly amount: number;
  /** ISO 4217 code, upper case (USD, EUR, GBP ...). */
  readonly currency: string;
  readonly period: PricePeriod;
  /** Where the entry (its `sku`) was written. */
  readonly location: SourceLocation;
}

/** A price with its SKU resolved. */
export interface ResolvedPrice extends SkuRef {
  readonly amount: number;
  readonly currency: string;
  readonly period: PricePeriod;
  readonly location: SourceLocation;
}

/** SKUs no user may hold together (directly or through groups). */
export interface DesiredExclusiveSet {
  readonly skus: readonly LocatedName[];
  readonly location: SourceLocation;
}

/** A plan must leave at least this many (or this share of) a SKU's enabled seats free. */
export interface DesiredSeatCeiling {
  readonly sku: LocatedName;
  readonly minFree?: number;
  readonly minFreePercent?: number;
  readonly location: SourceLocation;
}

/** At most `max` users whose `attribute` equals `value` may hold `sku`. */
export interface DesiredSeatPool {
  readonly attribute: "department";
  readonly value: string;
  readonly sku: LocatedName;
  readonly max: number;
  readonly location: SourceLocation;
}

/** `policies:` as written, SKU names unresolved. */
export interface DesiredPolicies {
  readonly exclusive: readonly DesiredExclusiveSet[];
  readonly seatCeilings: readonly DesiredSeatCeiling[];
  readonly seatPools: readonly DesiredSeatPool[];
  /** Licensed users with no sign-in for more than this many days are idle; default 90. */
  readonly inactiveDays?: number;
  /** Users never reported idle or reclaimed (shared and resource mailboxes ...), besides `protect.users`. */
  readonly exempt: readonly LocatedName[];
  /** Subscriptions that renew, expire or change status within this many days are flagged; default 30. */
  readonly renewalWarningDays?: number;
  /** Seats kept free at renewal when counting seats that could be cut; default 0. */
  readonly renewalReserve?: number;
  /** Where `policies:` was written. */
  readonly location?: SourceLocation;
}

/** SKUs no user may hold together (`policies.exclusive`), resolved against the tenant. */
export interface ResolvedExclusiveSet {
  readonly skus: readonly SkuRef[];
  readonly location: SourceLocation;
}

/** Free seats a SKU must keep after a plan (`policies.minFreeSeats`): a count, a share, or both. */
export interface ResolvedSeatCeiling {
  readonly sku: SkuRef;
  readonly minFree?: number;
  readonly minFreePercent?: number;
  readonly location: SourceLocation;
}

/** At most `max` users with this attribute value may hold the SKU (`policies.seatPools`). */
export interface ResolvedSeatPool {
  readonly attribute: "department";
  readonly value: string;
  readonly sku: SkuRef;
  readonly max: number;
  readonly location: SourceLocation;
}

/** Policies with SKU names resolved: what the planner checks. */
export interface ResolvedPolicies {
  readonly exclusive: readonly ResolvedExclusiveSet[];
  readonly seatCeilings: readonly ResolvedSeatCeiling[];
  readonly seatPools: readonly ResolvedSeatPool[];
  readonly inactiveDays: number;
  readonly exempt: readonly LocatedName[];
  readonly renewalWarningDays: number;
  readonly renewalReserve: number;
}

/** Defaults of the optional policy numbers. */
export const POLICY_DEFAULTS = {
  inactiveDays: 90,
  renewalWarningDays: 30,
  renewalReserve: 0,
} as const;

/** The cost effect of a plan on one priced SKU. Amounts are per month and per year, in `currency`. */
export interface SkuCostDelta extends SkuRef {
  readonly currency: string;
  /** One seat for one month (a yearly price divided by 12). */
  readonly monthlyUnitPrice: number;
  readonly seatsBefore: number;
  readonly seatsAfter: number;
  readonly monthlyBefore: number;
  readonly monthlyAfter: number;
  readonly monthlyDelta: number;
  readonly yearlyDelta: number;
}

/** Per-currency sums of the SKU rows. */
export interface CostTotal {
  readonly currency: string;
  readonly monthlyBefore: number;
  readonly monthlyAfter: number;
  readonly monthlyDelta: number;
  readonly yearlyDelta: number;
}

/**
 * What a plan does to the value of the assigned seats: seats consumed before
 * and after, times the price. The invoice follows purchased seats, so a
 * negative delta is money to save at renewal, not a refund.
 */
export interface PlanCost {
  readonly skus: readonly SkuCostDelta[];
  /** One per currency, sorted by currency code. */
  readonly totals: readonly CostTotal[];
}

/** Enabled seats nobody holds, and what they cost. */
export interface UnusedSeatCost extends SkuRef {
  readonly currency: string;
  readonly monthlyUnitPrice: number;
  readonly enabled: number;
  readonly consumed: number;
  readonly unused: number;
  readonly monthlyCost: number;
  readonly yearlyCost: number;
}

/** Per-currency sums of unused seats and their cost. */
export interface UnusedSeatTotal {
  readonly currency: string;
  readonly unused: number;
  readonly monthlyCost: number;
  readonly yearlyCost: number;
}

/**
 * The money side of a drift report: what is paid for and not used. Not
 * drift (the manifests say nothing about it), so it never counts towards
 * `summary.total`. Each part is present only when its inputs are.
 */
export interface DriftEconomics {
  /** Enabled seats nobody holds, per priced SKU that has any. */
  readonly unusedSeats?: readonly UnusedSeatCost[];
  readonly unusedSeatTotals?: readonly UnusedSeatTotal[];
  /** Subscriptions, renewals and reducible seats, when the subscriptions were read (or why not). */
  readonly renewals?: RenewalReport;
  /** Licensed users who no longer sign in, when sign-in activity was asked for (or why it is unknown). */
  readonly idle?: IdleReport;
}

/** A subscription behind a SKU (Graph's companySubscription), as read. GUIDs lower-cased. */
export interface LiveSubscription {
  readonly id: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  /** Enabled, Warning, Suspended, Deleted, LockedOut. */
  readonly status: string;
  readonly isTrial: boolean;
  readonly totalLicenses: number;
  readonly createdDateTime: string | null;
  /** The next renewal, expiry or status change, as Graph reports it; null when unknown. */
  readonly nextLifecycleDateTime: string | null;
}

/** What reading the subscriptions gave: the list, or why it could not be read (never a guess). */
export type SubscriptionsRead =
  | { readonly available: true; readonly subscriptions: readonly LiveSubscription[] }
  | { readonly available: false; readonly reason: string };

/** The subscriptions of one SKU and the seats that could go at renewal. */
export interface SkuRenewal extends SkuRef {
  /** prepaidUnits.enabled and consumedUnits of the SKU. */
  readonly enabled: number;
  readonly consumed: number;
  /** Seats kept free at renewal (policies.renewals.reserve). */
  readonly reserve: number;
  /** enabled - consumed - reserve, at least 0: seats that could be cut at renewal. */
  readonly reducible: number;
  readonly trials: number;
  /** The earliest next lifecycle date of the SKU's live subscriptions; null when none is known. */
  readonly nextLifecycleDateTime: string | null;
  readonly subscriptions: readonly LiveSubscription[];
}

/** Why a subscription needs attention. */
export type RenewalCondition = "due" | "trial-ends" | "warning" | "suspended" | "locked-out";

/** A subscription that renews, expires or changes status soon, or is already in a bad state. */
export interface RenewalFlag {
  readonly subscription: LiveSubscription;
  readonly conditions: readonly RenewalCondition[];
  /** Whole days from the report to nextLifecycleDateTime; null when no date is known. */
  readonly daysLeft: number | null;
}

/** Subscriptions and renewals, or why they are unknown. */
export type RenewalReport =
  | {
      readonly available: true;
      /** The window of `flagged` (policies.renewals.warnDays). */
      readonly withinDays: number;
      readonly skus: readonly SkuRenewal[];
      readonly flagged: readonly RenewalFlag[];
    }
  | { readonly available: false; readonly reason: string };

/** Users' last sign-ins as read (Graph's signInActivity), or why they could not be read. */
export type SignInRead =
  | {
      readonly available: true;
      /** user id (lower-case) -> the latest of lastSignInDateTime and lastNonInteractiveSignInDateTime; null when none recorded. */
      readonly lastSignIn: ReadonlyMap<string, string | null>;
    }
  | { readonly available: false; readonly reason: string };

/** A licensed user with no sign-in for more than `inactiveDays`, and what their licenses cost. */
export interface IdleUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly lastSignIn: string;
  readonly daysInactive: number;
  /** Every SKU the user holds, directly or through groups. */
  readonly skus: readonly SkuRef[];
  /** Monthly cost of the priced SKUs, per currency; empty without prices. */
  readonly monthlyCost: readonly { readonly currency: string; readonly amount: number }[];
}

/** Idle licensed users, or why they are unknown (never a guess: no sign-in data, no list). */
export type IdleReport =
  | {
      readonly available: true;
      readonly inactiveDays: number;
      readonly users: readonly IdleUser[];
      /** Licensed users with no sign-in recorded (never, or before April 2020): not counted as idle. */
      readonly noSignInRecorded: number;
      /** Licensed idle users left out because protect.users or policies.exempt names them. */
      readonly exempted: number;
    }
  | { readonly available: false; readonly reason: string };
