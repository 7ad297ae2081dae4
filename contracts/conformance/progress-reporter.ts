import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * The CLI's default terminal output while checks run: one progress line
 * (rewritten in place on a terminal, printed once at the end otherwise), no
 * per-test listing and no file paths. The failures follow in the summary, one
 * line each; `--verbose` adds vitest's own listing of every check.
 */
export class ProgressReporter implements Reporter {
  #total = 0;
  #done = 0;
  #failed = 0;
  #skipped = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  onTestModuleCollected(testModule: TestModule): void {
    this.#total += [...testModule.children.allTests()].length;
    this.#draw();
  }

  onTestCaseResult(testCase: TestCase): void {
    this.#done += 1;
    const state = testCase.result().state;
    if (state === 'failed') this.#failed += 1;
    if (state === 'skipped') this.#skipped += 1;
    this.#draw();
  }

  onTestRunEnd(): void {
    if (this.out.isTTY) this.out.write('\n');
    else this.out.write(`${this.#line()}\n`);
  }

  #line(): string {
    return `apikeys-conformance: ${this.#done}/${this.#total} checks done, ${this.#failed} failed, ${this.#skipped} skipped`;
  }

  #draw(): void {
    if (this.out.isTTY) this.out.write(`\r${this.#line()}`);
  }
}
