import type { Reporter, TestCase } from "vitest/node";
import { addFigures, EMPTY_FIGURES, formatFigures, type ReliabilityFigures } from "./figures.js";

/**
 * Prints the reliability suite's figures, summed from what each test
 * recorded in its meta, after the default reporter's summary. Prints nothing
 * when no reliability test ran (e.g. `vitest run test/plan`).
 */
export default class FiguresReporter implements Reporter {
  private figures: ReliabilityFigures = { ...EMPTY_FIGURES };
  private tests = 0;

  onTestRunStart(): void {
    this.figures = { ...EMPTY_FIGURES };
    this.tests = 0;
  }

  onTestCaseResult(testCase: TestCase): void {
    const recorded = testCase.meta().reliability;
    if (!recorded) return;
    this.tests += 1;
    this.figures = addFigures(this.figures, recorded);
  }

  onTestRunEnd(): void {
    if (this.tests === 0) return;
    process.stdout.write(`\n ${formatFigures(this.figures, this.tests)}\n`);
  }
}
