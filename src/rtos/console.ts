// Terminal I/O behind a small interface, so the RTOS core runs without Node
// APIs. The CLI supplies a terminal console; tests use BufferConsole.

export interface Console {
  /** Program output (stdout). */
  write(data: string | Uint8Array): void;
  /** Error messages (stderr). */
  error(data: string | Uint8Array): void;
  /** Kernel and boot messages: shown on stderr only in verbose mode. */
  log(data: string | Uint8Array): void;
  /** Show `prompt` and read one line without its newline; null at end of input (Ctrl-D). */
  readLine(prompt: string): Promise<string | null>;
  /**
   * Input for programs reading standard input: the next line as typed, with
   * its newline, no prompt (cooked terminal mode); null at end of input.
   */
  readInput(): Promise<string | null>;
  /** Release the terminal. */
  close?(): void;
  /**
   * While a program runs in the foreground on an interactive terminal: hand
   * every keystroke to `feed` (the kernel's console tty, which echoes, edits
   * lines and turns Ctrl-C into SIGINT itself). Returns the function that
   * gives the terminal back to the shell. Absent or a no-op elsewhere.
   */
  attachProgramInput?(feed: (data: Uint8Array) => void): () => void;
  /**
   * Whether input and output are a terminal. The kernel's console tty then
   * cooks them (echo, line editing, \n to \r\n); otherwise bytes pass
   * through it exactly. Absent: neither.
   */
  readonly terminal?: {
    input: boolean; output: boolean; error?: boolean; rows?: number; cols?: number;
    /**
     * Errors go to the very terminal output goes to (a login's terminal): a
     * program's stderr is then the console tty as its stdin and stdout are,
     * not the error line, as shells expect of their terminal (bash takes the
     * one it controls jobs on from fd 2).
     */
    errorIsOutput?: boolean;
  };
  /** Call `listener` with the terminal's new size whenever it changes. Absent: a fixed size. */
  onResize?(listener: (rows: number, cols: number) => void): void;
  /**
   * A one-line status while something a person waits for runs (undefined
   * clears it): shown on a terminal only, and never in the output. Absent:
   * nothing shown.
   */
  progress?(text: string | undefined): void;
}

const decoder = new TextDecoder();

export function toText(data: string | Uint8Array): string {
  return typeof data === 'string' ? data : decoder.decode(data);
}

/** A console over strings: scripted input lines, captured output. */
export class BufferConsole implements Console {
  out = '';
  err = '';
  logged = '';
  /** Prompts shown, in order. */
  readonly prompts: string[] = [];
  private readonly input: string[];

  constructor(inputLines: string[] = []) {
    this.input = [...inputLines];
  }

  write(data: string | Uint8Array): void {
    this.out += toText(data);
  }

  error(data: string | Uint8Array): void {
    this.err += toText(data);
  }

  log(data: string | Uint8Array): void {
    this.logged += toText(data);
  }

  readLine(prompt: string): Promise<string | null> {
    this.prompts.push(prompt);
    const line = this.input.shift();
    return Promise.resolve(line ?? null);
  }

  readInput(): Promise<string | null> {
    const line = this.input.shift();
    return Promise.resolve(line === undefined ? null : `${line}\n`);
  }
}
