import { seededRandom } from "./ids.js";
import type { GroupRecord, SkuRecord, UserRecord } from "./tenant-model.js";

type Tracked = UserRecord | GroupRecord | SkuRecord;

/** A version of a record that was current until `until` (ms on the emulator's clock). */
interface Version<T> {
  readonly until: number;
  readonly value: T;
}

/**
 * Entra's eventual consistency, for reads: each read of a user, group or
 * SKU may see it as it was up to `lagMs` ago (a seeded random age per
 * object and read), so a read right after a write can miss it, a group can
 * still look in progress after it finished, and consumedUnits can trail
 * the assignments. Writes always act on the current state, as Graph's do.
 *
 * The store calls {@link beforeChange} with a record just before changing
 * it; the view keeps the replaced version (a shallow copy: the store
 * replaces arrays rather than editing them) for as long as a read may still
 * be served it.
 */
export class LaggedView {
  private readonly history = new Map<Tracked, Version<Tracked>[]>();
  private readonly random: () => number;

  constructor(
    readonly lagMs: number,
    seed: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.random = seededRandom(seed ^ 0x5eed);
  }

  /** Whether reads are lagged at all; with 0 the view is the store itself. */
  get active(): boolean {
    return this.lagMs > 0;
  }

  beforeChange(record: Tracked): void {
    if (!this.active) return;
    const now = this.now();
    const versions = (this.history.get(record) ?? []).filter((v) => v.until >= now - this.lagMs);
    versions.push({ until: now, value: { ...record } as Tracked });
    this.history.set(record, versions);
  }

  user(record: UserRecord): UserRecord {
    return this.at(record);
  }

  group(record: GroupRecord): GroupRecord {
    return this.at(record);
  }

  sku(record: SkuRecord): SkuRecord {
    return this.at(record);
  }

  /** The version current at a random moment within the lag: the oldest one replaced after that moment. */
  private at<T extends Tracked>(record: T): T {
    // Nothing replaced yet (or no lag at all): every read sees the record itself, without a lookup.
    if (this.history.size === 0) return record;
    const versions = this.history.get(record);
    if (!versions || versions.length === 0) return record;
    const moment = this.now() - this.random() * this.lagMs;
    const served = versions.find((v) => v.until > moment);
    return (served?.value as T | undefined) ?? record;
  }
}
