// One line of progress for a person waiting at a terminal: each update
// replaces the line, clear() erases it, and where the output is not a
// terminal (a pipe, a file, a CI log) nothing is written. The CLI's first
// start (terminal.ts) and the build scripts (scripts/build-lkl.mjs, the
// image scripts, which import it from dist/) show theirs through it.

/** Where the line goes: a Node stream such as process.stderr (isTTY, columns). */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export class ProgressLine {
  private shown = false;
  private last = 0;

  /** Updates closer than minMs to the one shown before are dropped (but never the first). */
  constructor(private readonly out: ProgressOutput, private readonly minMs = 0) {}

  /** Whether anything is shown at all: the output is a terminal. */
  get active(): boolean {
    return this.out.isTTY === true;
  }

  /** Show text in place of the line before, cut to the terminal's width (a wrapped line could not be erased). */
  show(text: string): void {
    if (!this.active) return;
    const now = Date.now();
    if (this.shown && now - this.last < this.minMs) return;
    this.last = now;
    const width = Math.max(10, (this.out.columns || 80) - 1); // 0: a terminal of unknown size
    this.out.write(`\r${text.length > width ? text.slice(0, width) : text}\x1b[K`);
    this.shown = true;
  }

  /** Erase the line, if one is shown. */
  clear(): void {
    if (!this.shown) return;
    this.out.write('\r\x1b[K');
    this.shown = false;
  }

  /** `text (elapsed)`, shown and refreshed every second until work settles, then erased. */
  async during<T>(text: string | (() => string), work: Promise<T>): Promise<T> {
    const from = Date.now();
    const draw = (): void => this.show(`${typeof text === 'string' ? text : text()} (${elapsed(Date.now() - from)})`);
    draw();
    const timer = this.active ? setInterval(draw, 1000) : undefined;
    try {
      return await work;
    } finally {
      clearInterval(timer);
      this.clear();
    }
  }
}

/** A duration as a person reads it: 42s, 3m 07s. */
export function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}
