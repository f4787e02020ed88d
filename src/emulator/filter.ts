import {
  advancedQueryRequired,
  invalidFilter,
  unsupportedFilterProperty,
  type GraphError,
} from "./errors.js";

/** What a filter can ask of an object; each resource supplies one. */
export interface FilterSubject<T> {
  /** Graph's resource name in error messages: User, Group. */
  readonly resource: string;
  /** Properties `eq`/`ne`/`in`/`startsWith` accept, and how to read them. */
  readonly properties: Readonly<Record<string, (item: T) => string | boolean | null>>;
  /**
   * String properties that also take `ge` and `le` without advanced query
   * parameters (the user and group resource pages list them per property).
   */
  readonly ordered?: readonly string[];
  /** skuIds of assignedLicenses, for `assignedLicenses/any(x:x/skuId eq ...)` and `/$count`. */
  readonly skuIds?: (item: T) => readonly string[];
  /** hasMembersWithLicenseErrors (groups): filterable, never returned. */
  readonly hasMembersWithLicenseErrors?: (item: T) => boolean;
  /**
   * The lower-cased values of an `ordered` property by position in the
   * collection being filtered (null where missing), when the emulator keeps
   * them: a `ge`/`le` range then compares these instead of reading and
   * lower-casing every item. Only for the collection they were made from.
   */
  readonly orderedKeys?: (property: string) => readonly (string | null)[] | undefined;
}

type Value = string | boolean | number | null;
type Node =
  | { op: "and" | "or"; left: Node; right: Node }
  | { op: "not"; inner: Node }
  | { op: "eq" | "ne" | "gt" | "ge" | "lt" | "le"; path: string; value: Value }
  | { op: "in"; path: string; values: Value[] }
  | { op: "startswith" | "endswith"; path: string; value: Value }
  | { op: "any"; path: string; variable: string; inner: { path: string; value: Value } };

const TOKEN = /\s*(?:('(?:[^']|'')*')|(\()|(\))|(,)|([^\s(),']+))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (text.slice(at).trim() === "") break;
      throw invalidFilter(`syntax error at position ${at} in '${text}'.`);
    }
    tokens.push(m[0].trim());
  }
  return tokens.filter((t) => t !== "");
}

/** Parses an OData $filter into a tree; also reports which advanced-query operators it uses. */
export function parseFilter(text: string): { node: Node; advanced: string[] } {
  const tokens = tokenize(text);
  const advanced: string[] = [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const t = tokens[i++];
    if (t === undefined) throw invalidFilter(`unexpected end of '${text}'.`);
    return t;
  };
  const expect = (t: string) => {
    const got = next();
    if (got.toLowerCase() !== t) throw invalidFilter(`expected '${t}' but found '${got}' in '${text}'.`);
  };
  const value = (): Value => {
    const t = next();
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    const lower = t.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    if (lower === "null") return null;
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t)) return t.toLowerCase();
    throw invalidFilter(`'${t}' is not a value in '${text}'.`);
  };
  const primary = (): Node => {
    const t = next();
    const lower = t.toLowerCase();
    if (t === "(") {
      const inner = or();
      expect(")");
      return inner;
    }
    if (lower === "not") {
      advanced.push("not");
      return { op: "not", inner: primary() };
    }
    if ((lower === "startswith" || lower === "endswith") && peek() === "(") {
      if (lower === "endswith") advanced.push("endsWith");
      next();
      const path = next();
      expect(",");
      const v = value();
      expect(")");
      return { op: lower, path, value: v };
    }
    if (/\/any$/i.test(t) && peek() === "(") {
      next();
      const lambda = next();
      const m = /^(\w+):(\w+)\/(\w+)$/.exec(lambda);
      if (!m || m[1] !== m[2]) throw invalidFilter(`'${lambda}' is not a lambda in '${text}'.`);
      expect("eq");
      const v = value();
      expect(")");
      return { op: "any", path: t.slice(0, -4), variable: m[1]!, inner: { path: m[3]!, value: v } };
    }
    const op = next().toLowerCase();
    if (op === "in") {
      expect("(");
      const values = [value()];
      while (peek() === ",") {
        next();
        values.push(value());
      }
      expect(")");
      return { op: "in", path: t, values };
    }
    if (op === "eq" || op === "ne" || op === "gt" || op === "ge" || op === "lt" || op === "le") {
      if (op === "ne") advanced.push("ne");
      if (/\/\$count$/i.test(t)) advanced.push("$count");
      return { op, path: t, value: value() };
    }
    throw invalidFilter(`'${op}' is not an operator in '${text}'.`);
  };
  const and = (): Node => {
    let left = primary();
    while (peek()?.toLowerCase() === "and") {
      next();
      left = { op: "and", left, right: primary() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peek()?.toLowerCase() === "or") {
      next();
      left = { op: "or", left, right: and() };
    }
    return left;
  };
  const node = or();
  if (i < tokens.length) throw invalidFilter(`unexpected '${tokens[i]}' in '${text}'.`);
  return { node, advanced };
}

const same = (a: unknown, b: Value): boolean =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;

/**
 * How `ge` and `le` order strings. Graph compares directory strings without
 * regard to case and does not document a collation; the emulator compares
 * the lower-cased strings code unit by code unit, so digits and most
 * punctuation sort before letters and non-Latin letters after them.
 */
export function compareFilterText(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Compiles a filter into a predicate for a resource, or throws Graph's 400
 * for what the resource does not support. `advancedAllowed`: the request has
 * ConsistencyLevel: eventual and $count=true.
 */
export function compileFilter<T>(
  text: string,
  subject: FilterSubject<T>,
  advancedAllowed: boolean,
): (item: T) => boolean {
  const { node, advanced } = parseFilter(text);
  if (advanced.length > 0 && !advancedAllowed) throw advancedQueryRequired(advanced[0]!);
  const unsupported = (path: string): GraphError => unsupportedFilterProperty(path, subject.resource);
  const prop = (path: string) => {
    const read =
      subject.properties[path] ??
      subject.properties[
        Object.keys(subject.properties).find((k) => k.toLowerCase() === path.toLowerCase()) ?? ""
      ];
    if (!read) throw unsupported(path);
    return read;
  };
  const build = (n: Node): ((item: T) => boolean) => {
    switch (n.op) {
      case "and": {
        const [l, r] = [build(n.left), build(n.right)];
        return (x) => l(x) && r(x);
      }
      case "or": {
        const [l, r] = [build(n.left), build(n.right)];
        return (x) => l(x) || r(x);
      }
      case "not": {
        const inner = build(n.inner);
        return (x) => !inner(x);
      }
      case "any": {
        if (
          n.path.toLowerCase() !== "assignedlicenses" ||
          n.inner.path.toLowerCase() !== "skuid" ||
          !subject.skuIds
        )
          throw unsupported(n.path);
        const skuIds = subject.skuIds;
        const want = String(n.inner.value).toLowerCase();
        return (x) => skuIds(x).includes(want);
      }
      case "in": {
        const read = prop(n.path);
        return (x) => n.values.some((v) => same(read(x), v));
      }
      case "startswith":
      case "endswith": {
        const read = prop(n.path);
        const want = String(n.value).toLowerCase();
        return (x) => {
          const v = read(x);
          if (typeof v !== "string") return false;
          return n.op === "startswith" ? v.toLowerCase().startsWith(want) : v.toLowerCase().endsWith(want);
        };
      }
      default: {
        if (/^assignedLicenses\/\$count$/i.test(n.path) && subject.skuIds && typeof n.value === "number") {
          const skuIds = subject.skuIds;
          const want = n.value;
          const compare = {
            eq: (a: number) => a === want,
            ne: (a: number) => a !== want,
            gt: (a: number) => a > want,
            ge: (a: number) => a >= want,
            lt: (a: number) => a < want,
            le: (a: number) => a <= want,
          }[n.op];
          return (x) => compare(skuIds(x).length);
        }
        if (n.path.toLowerCase() === "hasmemberswithlicenseerrors") {
          const has = subject.hasMembersWithLicenseErrors;
          // Documented for `eq true` only ("filter for this property being true"); Graph refuses `eq false`.
          if (!has || n.op !== "eq" || n.value !== true) throw unsupported(n.path);
          const want = n.value;
          return (x) => has(x) === want;
        }
        if ((n.op === "ge" || n.op === "le") && typeof n.value === "string") {
          const ordered = subject.ordered?.find((p) => p.toLowerCase() === n.path.toLowerCase());
          if (ordered === undefined) throw unsupported(n.path);
          const read = prop(ordered);
          const want = n.value.toLowerCase();
          const ge = n.op === "ge";
          // A missing value (null) is neither above nor below anything. Same order as compareFilterText.
          return (x) => {
            const v = read(x);
            if (typeof v !== "string") return false;
            const lower = v.toLowerCase();
            return ge ? lower >= want : lower <= want;
          };
        }
        if (n.op !== "eq" && n.op !== "ne") throw unsupported(n.path);
        const read = prop(n.path);
        const negate = n.op === "ne";
        return (x) => same(read(x), n.value) !== negate;
      }
    }
  };
  return build(node);
}
