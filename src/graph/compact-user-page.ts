import type { AssignedLicense, LicenseAssignmentState, LiveUser } from "../model/live-state.js";
import { UserNormalizer, type RawUser, type UserColumns } from "./normalize-live-state.js";

/**
 * A page of users as a worker thread hands it to the main thread: one
 * column per property and license lists by number, each distinct list sent
 * once. Copying these between threads costs a fraction of parsing the
 * page, so the parse can run beside the requests on another core.
 */
export interface CompactUserPage {
  readonly ids: readonly string[];
  readonly upns: readonly string[];
  readonly names: readonly (string | null)[];
  readonly locations: readonly (string | null)[];
  readonly enabled: readonly (boolean | null)[];
  /** undefined where the page did not carry the property. */
  readonly departments: readonly (string | null | undefined)[];
  /** Numbers of the users' assignedLicenses and licenseAssignmentStates lists. */
  readonly assigned: readonly number[];
  readonly states: readonly number[];
  /** Lists first seen on this page, by number. */
  readonly newLists: readonly (readonly [
    number,
    readonly AssignedLicense[] | readonly LicenseAssignmentState[],
  ])[];
  readonly nextLink?: string;
}

interface Page {
  readonly value?: readonly RawUser[];
  readonly "@odata.nextLink"?: unknown;
}

/** Number 0: the empty list every user without licenses shares. */
const EMPTY_LIST = 0;

/**
 * Turns pages of Graph's JSON into CompactUserPage, normalising users
 * exactly as UserNormalizer does (one per read, so lists are shared across
 * its pages). Lives in the worker thread.
 */
export class UserPageCompactor {
  private readonly normalizer = new UserNormalizer();
  /** Weak: a list the normaliser could not share is never seen again once dropped. */
  private readonly numbers = new WeakMap<readonly unknown[], number>();
  private lastNumber = EMPTY_LIST;

  /** The page parsed and compacted; throws on text that is not JSON. */
  compact(text: string): CompactUserPage {
    const page = JSON.parse(text) as Page;
    const raws = page.value ?? [];
    const newLists: [number, readonly AssignedLicense[] | readonly LicenseAssignmentState[]][] = [];
    const number = (list: readonly AssignedLicense[] | readonly LicenseAssignmentState[]): number => {
      if (list.length === 0) return EMPTY_LIST;
      let known = this.numbers.get(list);
      if (known === undefined) {
        known = this.lastNumber += 1;
        this.numbers.set(list, known);
        newLists.push([known, list]);
      }
      return known;
    };
    const columns: UserColumns = {
      ids: [],
      upns: [],
      names: [],
      locations: [],
      enabled: [],
      departments: [],
      assigned: [],
      states: [],
    };
    for (const raw of raws) this.normalizer.normalizeInto(raw, columns);
    const next = page["@odata.nextLink"];
    return {
      ...columns,
      assigned: columns.assigned.map(number),
      states: columns.states.map(number),
      newLists,
      ...(typeof next === "string" && next !== "" ? { nextLink: next } : {}),
    };
  }
}

/**
 * Rebuilds the users of CompactUserPages from one compactor, in the main
 * thread: the same LiveUser objects UserNormalizer makes, each distinct
 * license list frozen once and shared.
 */
export class UserPageExpander {
  private readonly lists = new Map<number, readonly AssignedLicense[] | readonly LicenseAssignmentState[]>([
    [EMPTY_LIST, Object.freeze([])],
  ]);

  expand(page: CompactUserPage): LiveUser[] {
    for (const [number, list] of page.newLists) {
      this.lists.set(number, Object.freeze(list.map((entry) => Object.freeze(entry))));
    }
    const users: LiveUser[] = [];
    for (let i = 0; i < page.ids.length; i += 1) {
      const department = page.departments[i];
      const assignedLicenses = this.list(page.assigned[i]!) as readonly AssignedLicense[];
      const licenseAssignmentStates = this.list(page.states[i]!) as readonly LicenseAssignmentState[];
      // Two literals rather than a spread: the same properties in the same order as UserNormalizer's, made faster.
      users.push(
        department === undefined
          ? {
              id: page.ids[i]!,
              userPrincipalName: page.upns[i]!,
              displayName: page.names[i]!,
              usageLocation: page.locations[i]!,
              accountEnabled: page.enabled[i]!,
              assignedLicenses,
              licenseAssignmentStates,
            }
          : {
              id: page.ids[i]!,
              userPrincipalName: page.upns[i]!,
              displayName: page.names[i]!,
              usageLocation: page.locations[i]!,
              accountEnabled: page.enabled[i]!,
              department,
              assignedLicenses,
              licenseAssignmentStates,
            },
      );
    }
    return users;
  }

  private list(number: number): readonly unknown[] {
    const list = this.lists.get(number);
    if (list === undefined) throw new Error(`license list ${number} was never sent`);
    return list;
  }
}
