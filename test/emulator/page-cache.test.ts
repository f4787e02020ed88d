import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/bundled-catalog.js";
import { keptPage } from "../../src/emulator/page-cache.js";
import { resolveFixture } from "../../src/emulator/resolve-fixture.js";
import { JsonBytes, ok, type GraphResponse } from "../../src/emulator/route-kit.js";
import { TenantStore } from "../../src/emulator/tenant-store.js";
import { smallTenant } from "./helpers.js";

const store = () => new TenantStore(resolveFixture(smallTenant(), loadCatalog()), true);

/** An answer that counts how often it was written. */
function counted(text: string): { answer: () => GraphResponse; written: () => number } {
  let written = 0;
  return {
    answer: () => {
      written += 1;
      return ok(new JsonBytes(Buffer.from(text)));
    },
    written: () => written,
  };
}

const text = (response: GraphResponse) => (response.body as JsonBytes).bytes.toString("utf8");

describe("kept pages", () => {
  it("are written for the first two requests and served kept from the third, byte for byte", () => {
    const tenant = store();
    const page = counted('{"value":["Zoë"]}');
    const answers = [1, 2, 3, 4].map(() => text(keptPage(tenant, "q", page.answer)));
    expect(page.written()).toBe(2);
    expect(new Set(answers)).toEqual(new Set(['{"value":["Zoë"]}']));
  });

  it("are dropped by any change to the tenant", () => {
    const tenant = store();
    const page = counted('{"value":[]}');
    for (let i = 0; i < 3; i += 1) keptPage(tenant, "q", page.answer);
    expect(page.written()).toBe(2);
    tenant.setUsageLocation(tenant.users[0]!, "FR");
    keptPage(tenant, "q", page.answer);
    keptPage(tenant, "q", page.answer);
    expect(page.written()).toBe(4);
    keptPage(tenant, "q", page.answer);
    expect(page.written()).toBe(4);
  });

  it("are kept per request and per tenant, and only for 200 answers with a written body", () => {
    const [one, two] = [store(), store()];
    const page = counted("{}");
    for (let i = 0; i < 3; i += 1) {
      keptPage(one, "a", page.answer);
      keptPage(one, "b", page.answer);
      keptPage(two, "a", page.answer);
    }
    expect(page.written()).toBe(6);
    let refused = 0;
    for (let i = 0; i < 3; i += 1)
      keptPage(one, "c", () => ((refused += 1), { status: 404, headers: {}, body: { error: {} } }));
    expect(refused).toBe(3);
  });
});
