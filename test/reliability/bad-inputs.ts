/**
 * The corpus of bad inputs: each one must be refused with a clear error that
 * says where the problem is (file:line:col, principal, flag or file), exit 1,
 * and not a single write. Static manifests live in corpus/manifests/<name>/;
 * the rest (bytes that cannot live in git, links, devices, plan files) are
 * built by the test in a scratch directory.
 */

/** Where a case runs and what it passes; `work` is the scratch directory. */
export interface CaseRun {
  readonly cwd: string;
  /** Arguments after the command name. */
  readonly args: readonly string[];
  /** Global options; default: the emulator's --graph-url and --auth none. */
  readonly globals?: readonly string[];
}

export interface BadInput {
  readonly name: string;
  /** What kind of bad input this is, for the summary. */
  readonly family: "yaml" | "schema" | "merge" | "names" | "tenant" | "guard" | "path" | "plan-file" | "flag";
  /** Which commands to try; default both `plan` and `apply --auto-approve`. */
  readonly commands?: readonly ("plan" | "apply")[];
  /** The message (stderr) must match this. */
  readonly message: RegExp;
  /** ... and name the place: file:line:col, the principal, the flag or the file. */
  readonly where: RegExp;
  /** `plan` only warns, by design; apply refuses (max removals). */
  readonly planWarns?: RegExp;
}

/** Static manifest cases: name = directory under corpus/manifests. */
export const MANIFEST_CASES: readonly BadInput[] = [
  { name: "yaml-unclosed-flow", family: "yaml", message: /YAML syntax error/, where: /licenses\.yaml:6:3\b/ },
  { name: "yaml-tab-indent", family: "yaml", message: /Tabs are not allowed/, where: /licenses\.yaml:3:1\b/ },
  { name: "yaml-duplicate-key", family: "yaml", message: /key appears twice/, where: /licenses\.yaml:7:3\b/ },
  {
    name: "yaml-alias-bomb",
    family: "yaml",
    message: /aliases expand to too much data/,
    where: /licenses\.yaml:5:\d+/,
  },
  {
    name: "yaml-undefined-alias",
    family: "yaml",
    message: /Unresolved alias/,
    where: /licenses\.yaml:6:15\b/,
  },
  {
    name: "top-level-list",
    family: "yaml",
    message: /no manifests found.*not a licensectl manifest/,
    where: /licenses\.yaml/,
  },
  {
    name: "not-a-manifest",
    family: "yaml",
    message: /no manifests found.*not a licensectl manifest/,
    where: /licenses\.yaml/,
  },
  {
    name: "missing-api-version",
    family: "schema",
    message: /has no apiVersion/,
    where: /licenses\.yaml:1:1\b/,
  },
  {
    name: "wrong-api-version",
    family: "schema",
    message: /apiVersion "licensectl\/v2"/,
    where: /licenses\.yaml:1:13\b/,
  },
  {
    name: "type-skus-string",
    family: "schema",
    message: /scope\.skus must be a list/,
    where: /licenses\.yaml:5:9\b/,
  },
  {
    name: "type-max-removals-text",
    family: "schema",
    message: /maxRemovals must be a whole number/,
    where: /licenses\.yaml:8:16\b/,
  },
  {
    name: "type-max-removals-negative",
    family: "schema",
    message: /maxRemovals must be >= 0/,
    where: /licenses\.yaml:8:16\b/,
  },
  {
    name: "type-licenses-mapping",
    family: "schema",
    message: /licenses must be a list/,
    where: /licenses\.yaml:10:7\b/,
  },
  {
    name: "unknown-field",
    family: "schema",
    message: /unknown key "licences"/,
    where: /licenses\.yaml:9:5\b/,
  },
  {
    name: "bad-tenant-id",
    family: "schema",
    message: /tenant\.id .*"not-a-guid"/,
    where: /licenses\.yaml:3:7\b/,
  },
  {
    name: "bad-scope-mode",
    family: "schema",
    message: /scope\.mode .*"destructive"/,
    where: /licenses\.yaml:6:9\b/,
  },
  {
    name: "bad-usage-location",
    family: "schema",
    message: /usageLocation .*"USA"/,
    where: /licenses\.yaml:9:20\b/,
  },
  {
    name: "both-plan-lists",
    family: "schema",
    message: /both enabledPlans and disabledPlans/,
    where: /licenses\.yaml:12:9\b/,
  },
  {
    name: "duplicate-user-two-files",
    family: "merge",
    message: /user "ann@fabrikam\.com" is defined here and at a\.yaml:8:5/,
    where: /b\.yaml:3:5\b/,
  },
  {
    name: "duplicate-group",
    family: "merge",
    message: /group "Sales" is defined here and at licenses\.yaml:8:5/,
    where: /licenses\.yaml:11:5\b/,
  },
  {
    name: "duplicate-profile",
    family: "merge",
    message: /profile "office" is defined here and at a\.yaml:8:3/,
    where: /b\.yaml:3:3\b/,
  },
  {
    name: "conflicting-tenants",
    family: "merge",
    message: /tenant\.id is "0d6f3a9b.*" here but "5b2e8c1a.*" at a\.yaml:3:7/,
    where: /b\.yaml:3:7\b/,
  },
  {
    name: "scope-twice",
    family: "merge",
    message: /scope is stated here and at a\.yaml:4:1/,
    where: /b\.yaml:2:1\b/,
  },
  {
    name: "unknown-profile",
    family: "names",
    message: /profile "office-e3" is not defined/,
    where: /licenses\.yaml:10:18\b/,
  },
  {
    name: "unknown-sku",
    family: "names",
    message: /unknown SKU "ENTERPRISEPAK".*\n.*Did you mean "ENTERPRISEPACK"/,
    where: /licenses\.yaml:10:9\b/,
  },
  {
    name: "unknown-service-plan",
    family: "names",
    message: /unknown service plan "EXCHANGE_S_ENTERPRIZE"/,
    where: /licenses\.yaml:11:25\b/,
  },
  {
    name: "sku-not-in-tenant",
    family: "names",
    message: /no subscription for Power BI Pro/,
    where: /licenses\.yaml:11:9\b/,
  },
  {
    name: "sku-out-of-scope",
    family: "names",
    message: /FLOW_FREE.*not in scope\.skus/,
    where: /licenses\.yaml:11:9\b/,
  },
  {
    name: "wrong-tenant",
    family: "tenant",
    message: /0d6f3a9b-2c8e-4b1d-8f7a-5e4c3b2a1d0e/,
    where: /5b2e8c1a-7d4f-4e2a-9c3b-1f0a6d8e4c27/,
  },
  {
    name: "unknown-user",
    family: "tenant",
    message: /user "mallory@fabrikam\.com" does not exist/,
    where: /licenses\.yaml:8:5\b/,
  },
  {
    // plan may show what the manifests would do anywhere; apply must know where it writes.
    name: "no-tenant-id",
    family: "tenant",
    commands: ["apply"],
    message: /do not say which tenant they are for, so apply will not write/,
    where: /5b2e8c1a-7d4f-4e2a-9c3b-1f0a6d8e4c27 \}` to the manifests if Fabrikam/,
  },
  {
    name: "unknown-user-homoglyph",
    family: "tenant",
    message: /user "\u0430nn@fabrikam\.com" does not exist/,
    where: /licenses\.yaml:9:5\b/,
  },
  {
    name: "duplicate-user-case",
    family: "merge",
    message: /user "ANN@Fabrikam\.com" is defined here and at licenses\.yaml:8:5/,
    where: /licenses\.yaml:11:5\b/,
  },
  {
    name: "duplicate-principal-by-id",
    family: "tenant",
    message: /is ann@fabrikam\.com, which is already declared as "ann@fabrikam\.com" at licenses\.yaml:8:5/,
    where: /licenses\.yaml:11:5\b/,
  },
  {
    name: "unknown-group",
    family: "tenant",
    message: /group "Marketing" does not exist/,
    where: /licenses\.yaml:8:5\b/,
  },
  {
    name: "not-enough-seats",
    family: "guard",
    message: /SPE_E5 needs 2 seats after this plan; the tenant has 1 enabled/,
    where: /SPE_E5/,
  },
  {
    name: "no-usage-location",
    family: "guard",
    message: /has no usage location/,
    where: /dan@fabrikam\.com/,
  },
  {
    name: "protected-user-removal",
    family: "guard",
    message: /protected user .* must not lose a license/,
    where: /breakglass@fabrikam\.onmicrosoft\.com/,
  },
  {
    name: "protected-group-removal",
    family: "guard",
    message: /protected group Sales must not lose a license/,
    where: /licenses\.yaml:8:12\b/,
  },
  {
    name: "max-removals-exceeded",
    family: "guard",
    message: /removes licenses from 3 user\(s\), more than the limit of 1/,
    where: /--max-removals 3/,
    planWarns: /takes licenses from 3 users; limits\.maxRemovals allows 1/,
  },
];
