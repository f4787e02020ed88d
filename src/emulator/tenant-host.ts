import { Dispatcher, type MutableCounters } from "./dispatcher.js";
import { LaggedView } from "./consistency.js";
import type { FaultInjector } from "./faults.js";
import { GroupProcessor } from "./group-processing.js";
import { prepareRangeIndex } from "./range-filter.js";
import { ResourceUnitThrottle, resourceUnitQuota } from "./resource-units.js";
import type { RouteContext } from "./routes.js";
import type { TenantStore } from "./tenant-store.js";
import type { EmulatorOptions } from "./types.js";

/** Default delay of each group-processing step. */
export const DEFAULT_GROUP_PROCESSING_DELAY_MS = 50;

/**
 * One tenant the emulator serves: its store, its group processing, its
 * eventually consistent view and the dispatcher that answers its requests.
 * Tenants of one emulator share the faults and the counters, as they share
 * one Graph endpoint, but each has its own resource-unit bucket, as Graph
 * throttles per app and tenant.
 */
export interface TenantHost {
  readonly store: TenantStore;
  readonly processor: GroupProcessor;
  readonly dispatcher: Dispatcher;
}

export function createTenantHost(
  store: TenantStore,
  options: EmulatorOptions,
  faults: FaultInjector,
  counters: MutableCounters,
  origin: () => string,
  changed: () => void,
): TenantHost {
  const processor = new GroupProcessor(
    store,
    options.groupProcessingDelayMs ?? DEFAULT_GROUP_PROCESSING_DELAY_MS,
    changed,
  );
  // A state saved while a group was still being processed resumes that processing.
  for (const group of store.groups) {
    if (group.licenseProcessingState !== null && group.licenseProcessingState !== "ProcessingComplete")
      processor.enqueue(group);
  }
  prepareRangeIndex(store.upnKeysByPosition());
  const view = new LaggedView(options.consistencyLagMs ?? 0, options.seed ?? 1);
  store.onBeforeChange = (record) => view.beforeChange(record);
  const keepPages = options.keepPages ?? false;
  const context = (): RouteContext => ({ store, processor, view, origin: origin(), keepPages });
  const ru = options.resourceUnits;
  const dispatcher = new Dispatcher(
    context,
    faults,
    changed,
    ru
      ? new ResourceUnitThrottle(
          (typeof ru === "object" ? ru.quota : undefined) ?? resourceUnitQuota(store.users.length),
          store.data.tenant.id,
          options.clock,
        )
      : undefined,
    counters,
  );
  return { store, processor, dispatcher };
}
