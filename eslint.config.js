import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layers of src/ and what each may not reach. Data flows one way: the
 * pure planner and drift never reach Graph, the applier or the CLI; renderers
 * never reach Graph; only the CLI reaches the CLI.
 */
const layer = (name) => ({ regex: `(^|/)${name}/`, message: `src/${name} is out of this layer's reach` });
const PURE = ["src/plan/**", "src/drift/**", "src/adopt/**", "src/model/**", "src/economics/**"];
const RENDERERS = ["src/report/**"];
// Each file falls under exactly one entry: for the same rule, a later entry would replace an earlier one.
const BOUNDARIES = [
  { files: PURE, forbid: ["graph", "apply", "cli", "workflow"] },
  { files: RENDERERS, forbid: ["graph", "cli", "workflow"] },
  { files: ["src/**"], ignores: ["src/cli/**", ...PURE, ...RENDERERS], forbid: ["cli"] },
];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "docs/api/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...BOUNDARIES.map(({ files, ignores, forbid }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { "no-restricted-imports": ["error", { patterns: forbid.map(layer) }] },
  })),
);
