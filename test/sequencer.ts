import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Files that run long for their size: a browser, or child processes and many rounds. */
const LONG_RUNNING = /[\\/]test[\\/](browser[\\/]|reliability-)/;

/**
 * Longest first, so the two workers finish together. Vitest orders files by their last durations when
 * it has them; without (a fresh clone, CI) it runs the larger files first, which put the browser files
 * (short files, minutes each) at the end, one worker left working alone (issue 16: suite time).
 */
export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const timed = (f: TestSpecification) =>
      this.ctx.cache.getFileTestResults(`${f.project.name}:${path.relative(this.ctx.config.root, f.moduleId)}`) !== undefined;
    if (sorted.every(timed)) return sorted;
    const long = sorted.filter((f) => LONG_RUNNING.test(f.moduleId));
    return [...long, ...sorted.filter((f) => !long.includes(f))];
  }
}
