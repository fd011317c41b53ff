// When the CLI's start reached its milestones, in milliseconds from the process's start
// (performance.now(): Node's own start included), for `embox --profile`: what a start waited on.

/** The milestones, in the order a start reaches them when nothing is waited for. */
export const START_MARKS = {
  cli: 'CLI loading',
  loaded: 'CLI loaded',
  kernel: 'kernel compiled',
  snapshot: 'snapshot read',
  system: 'system up',
  command: 'command',
} as const;
export type StartMark = keyof typeof START_MARKS;

const marks: Partial<Record<StartMark, number>> = {};

/** The time of `m`, the first time it is reached. */
export function mark(m: StartMark): void {
  marks[m] ??= performance.now();
}

/** `name at N ms` for each milestone reached, in START_MARKS's order, and `now` at the end. */
export function startLine(): string {
  const parts = (Object.keys(START_MARKS) as StartMark[]).filter((m) => marks[m] !== undefined)
    .map((m) => `${START_MARKS[m]} ${marks[m]!.toFixed(0)}`);
  return `  start, ms from the process's start: ${[...parts, `now ${performance.now().toFixed(0)}`].join(', ')}\n`;
}
