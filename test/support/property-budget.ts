/**
 * Time budgets of the slow, lagged property tests. fast-check starts no new
 * run after {@link PROPERTY_TIME_BUDGET_MS}, and stops shrinking a failure
 * there, reporting the counterexample it has: on a slow machine the test then
 * fails with the case that broke it, or passes with the runs it had time for,
 * instead of hitting vitest's timeout with neither.
 */
export const PROPERTY_TIME_BUDGET_MS = 90_000;

/** The vitest timeout of those tests: the budget plus room for the run in flight. */
export const PROPERTY_TEST_TIMEOUT_MS = 120_000;
