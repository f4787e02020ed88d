import { readFileSync } from "node:fs";
import { LineCounter, parseDocument, isNode, type Document } from "yaml";
import { LicensectlError } from "../model/errors.js";
import type { Problem, SourceLocation } from "../model/problem.js";
import type { TenantFixture } from "./fixture-types.js";

type Path = readonly (string | number)[];

const pathText = (path: Path): string =>
  path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    "",
  );

/** Structural checks of a fixture; each finding carries its YAML path so it can be located. */
function checkShape(root: unknown): { path: Path; message: string }[] {
  const found: { path: Path; message: string }[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  const need = (
    value: unknown,
    path: Path,
    type: "string" | "number" | "boolean" | "array" | "object",
    required: boolean,
  ) => {
    if (value === undefined || value === null) {
      if (required) found.push({ path, message: `${pathText(path)} is required` });
      return false;
    }
    const ok =
      type === "array" ? Array.isArray(value) : type === "object" ? isObject(value) : typeof value === type;
    if (!ok)
      found.push({
        path,
        message: `${pathText(path)} must be ${type === "array" || type === "object" ? "an" : "a"} ${type}`,
      });
    return ok;
  };
  if (!isObject(root)) return [{ path: [], message: "a tenant fixture must be a YAML mapping" }];
  if (root.apiVersion !== "licensectl.emulator/v1")
    found.push({ path: ["apiVersion"], message: "apiVersion must be licensectl.emulator/v1" });
  if (root.kind !== "Tenant") found.push({ path: ["kind"], message: "kind must be Tenant" });
  if (need(root.tenant, ["tenant"], "object", true)) {
    const t = root.tenant as Record<string, unknown>;
    need(t.premium, ["tenant", "premium"], "boolean", false);
    if (need(t.permissions, ["tenant", "permissions"], "array", false))
      (t.permissions as unknown[]).forEach((p, i) => need(p, ["tenant", "permissions", i], "string", true));
    need(t.id, ["tenant", "id"], "string", true);
    need(t.displayName, ["tenant", "displayName"], "string", true);
    if (
      need(t.countryLetterCode, ["tenant", "countryLetterCode"], "string", true) &&
      !/^[A-Z]{2}$/.test(String(t.countryLetterCode))
    )
      found.push({
        path: ["tenant", "countryLetterCode"],
        message: "tenant.countryLetterCode must be a two-letter ISO 3166 code such as US",
      });
    if (need(t.domains, ["tenant", "domains"], "array", true) && (t.domains as unknown[]).length === 0)
      found.push({
        path: ["tenant", "domains"],
        message: "tenant.domains needs at least the initial domain",
      });
  }
  const licenses = (list: unknown, path: Path) => {
    if (!need(list, path, "array", false)) return;
    (list as unknown[]).forEach((license, i) => {
      if (!need(license, [...path, i], "object", true)) return;
      const l = license as Record<string, unknown>;
      need(l.sku, [...path, i, "sku"], "string", true);
      need(l.disabledPlans, [...path, i, "disabledPlans"], "array", false);
    });
  };
  if (need(root.skus, ["skus"], "array", true)) {
    (root.skus as unknown[]).forEach((sku, i) => {
      if (!need(sku, ["skus", i], "object", true)) return;
      const s = sku as Record<string, unknown>;
      need(s.sku, ["skus", i, "sku"], "string", true);
      if (
        need(s.seats, ["skus", i, "seats"], "number", true) &&
        !(Number.isInteger(s.seats) && (s.seats as number) >= 0)
      )
        found.push({ path: ["skus", i, "seats"], message: `skus[${i}].seats must be a whole number >= 0` });
      need(s.addPlans, ["skus", i, "addPlans"], "array", false);
      need(s.subscriptions, ["skus", i, "subscriptions"], "array", false);
    });
  }
  if (need(root.users, ["users"], "array", true)) {
    (root.users as unknown[]).forEach((user, i) => {
      if (!need(user, ["users", i], "object", true)) return;
      const u = user as Record<string, unknown>;
      need(u.upn, ["users", i, "upn"], "string", true);
      if (
        u.usageLocation !== undefined &&
        u.usageLocation !== null &&
        !/^[A-Z]{2}$/.test(String(u.usageLocation))
      )
        found.push({
          path: ["users", i, "usageLocation"],
          message: `users[${i}].usageLocation must be a two-letter ISO 3166 code`,
        });
      need(u.accountEnabled, ["users", i, "accountEnabled"], "boolean", false);
      need(u.department, ["users", i, "department"], "string", false);
      need(u.signInActivity, ["users", i, "signInActivity"], "object", false);
      licenses(u.licenses, ["users", i, "licenses"]);
    });
  }
  if (need(root.groups, ["groups"], "array", false)) {
    (root.groups as unknown[]).forEach((group, i) => {
      if (!need(group, ["groups", i], "object", true)) return;
      const g = group as Record<string, unknown>;
      need(g.name, ["groups", i, "name"], "string", true);
      need(g.members, ["groups", i, "members"], "array", false);
      licenses(g.licenses, ["groups", i, "licenses"]);
    });
  }
  return found;
}

function locate(doc: Document, lines: LineCounter, file: string, path: Path): SourceLocation | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return { file, line, column: col };
    }
  }
  return undefined;
}

/** Finds where a YAML path such as `users[3].licenses[0].sku` is written. */
export type FixtureLocator = (pathText: string) => SourceLocation | undefined;

/** A locator over a fixture's YAML text, for problems found after parsing (name resolution). */
export function fixtureLocator(yamlText: string, file: string): FixtureLocator {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false });
  return (pathText) => {
    const path = [...pathText.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
      m[2] !== undefined ? Number(m[2]) : m[1]!,
    );
    return path.length > 0 ? locate(doc, lines, file, path) : undefined;
  };
}

/**
 * Parses a tenant fixture from YAML text. Checks its structure and reports
 * every problem, located; names (SKUs, plans, members) are resolved when the
 * emulator loads the fixture.
 */
export function parseTenantFixture(yamlText: string, file = "tenant.yaml"): TenantFixture {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return {
        code: "yaml-syntax",
        severity: "error",
        message: e.message.split("\n")[0] ?? e.message,
        ...(pos ? { location: { file, line: pos.line, column: pos.col } } : {}),
      };
    });
    throw new LicensectlError("fixture-invalid", `${file} is not valid YAML`, {
      problems,
      hint: "Fix the YAML syntax at the positions shown.",
    });
  }
  const root: unknown = doc.toJS();
  const found = checkShape(root);
  if (found.length > 0) {
    const problems: Problem[] = found.map(({ path, message }) => {
      const location = locate(doc, lines, file, path);
      return { code: "fixture-invalid", severity: "error", message, ...(location ? { location } : {}) };
    });
    throw new LicensectlError("fixture-invalid", `${file} is not a valid tenant fixture`, {
      problems,
      hint: "See the tenant fixture format (apiVersion: licensectl.emulator/v1, kind: Tenant).",
    });
  }
  return root as TenantFixture;
}

/** Reads and parses a tenant fixture file. */
export function loadTenantFixture(path: string): TenantFixture {
  return readTenantFixture(path).fixture;
}

/** Reads and parses a tenant fixture file, keeping a locator for problems found later. */
export function readTenantFixture(path: string): { fixture: TenantFixture; locate: FixtureLocator } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new LicensectlError(
      "fixture-unreadable",
      `cannot read the tenant fixture ${path}: ${(error as Error).message}`,
      {
        hint: "Check the --tenant path.",
      },
    );
  }
  return { fixture: parseTenantFixture(text, path), locate: fixtureLocator(text, path) };
}
