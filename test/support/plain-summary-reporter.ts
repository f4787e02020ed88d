import type { Reporter, TestCase } from "vitest/node";

/**
 * Ends the run with one plain line, `tests: N passed, N failed, N skipped`,
 * which any CI log reader understands whatever test runner it knows.
 */
export default class PlainSummaryReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped = 0;

  onTestRunStart(): void {
    this.passed = this.failed = this.skipped = 0;
  }

  onTestCaseResult(testCase: TestCase): void {
    const state = testCase.result().state;
    if (state === "passed") this.passed += 1;
    else if (state === "failed") this.failed += 1;
    else this.skipped += 1;
  }

  onTestRunEnd(): void {
    process.stdout.write(`\ntests: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped\n`);
  }
}
