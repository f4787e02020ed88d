import type { TenantStore } from "./tenant-store.js";
import type { GroupRecord } from "./tenant-model.js";

/**
 * Group-based licensing runs in the background, as in Entra:
 * QueuedForProcessing -> ProcessingInProgress -> (members updated) ->
 * ProcessingComplete, one configurable delay per step. With a delay of 0
 * the whole run happens before assignLicense answers, which keeps tests fast.
 */
export class GroupProcessor {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Latest run per group: a newer assignLicense supersedes a run in flight. */
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly store: TenantStore,
    private readonly stepDelayMs: number,
    private readonly onChange: () => void,
  ) {}

  enqueue(group: GroupRecord): void {
    const run = (this.generation.get(group.id) ?? 0) + 1;
    this.generation.set(group.id, run);
    this.store.beforeChange(group);
    group.licenseProcessingState = "QueuedForProcessing";
    if (this.stepDelayMs <= 0) {
      this.finish(group);
      return;
    }
    this.later(() => {
      if (this.generation.get(group.id) !== run) return;
      this.store.beforeChange(group);
      group.licenseProcessingState = "ProcessingInProgress";
      this.later(() => {
        if (this.generation.get(group.id) !== run) return;
        this.finish(group);
        this.onChange();
      });
    });
  }

  /** Whether any group is still being processed. */
  get busy(): boolean {
    return this.timers.size > 0;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private finish(group: GroupRecord): void {
    this.store.applyGroupToMembers(group);
    this.store.beforeChange(group);
    group.licenseProcessingState = "ProcessingComplete";
  }

  private later(step: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      step();
    }, this.stepDelayMs);
    this.timers.add(timer);
  }
}
