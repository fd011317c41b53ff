// The embox shell's line editor on a terminal that sends raw keystrokes (the
// page's xterm.js): what node:readline is to the CLI. Editing keys as
// readline's defaults: left/right, Home/End (Ctrl-A/Ctrl-E), Backspace,
// Delete, Ctrl-U, Ctrl-K, Ctrl-W, history with up/down, Tab completes the
// command name; Enter gives the line, Ctrl-C drops it, Ctrl-D on an empty line
// ends input. Output is a VT100's: the line is redrawn after each change.

export interface LineEditorHost {
  /** Terminal output. */
  write(text: string): void;
  /** Command names for Tab completion of the first word. */
  complete(word: string): string[];
}

const HISTORY = 200;

export class LineEditor {
  private line = '';
  private pos = 0;
  private prompt = '';
  private waiter: ((line: string | null) => void) | undefined;
  private readonly history: string[] = [];
  /** position while browsing the history (history.length: the line being typed) */
  private hpos = 0;
  private draft = '';
  /** bytes of an escape sequence not complete yet */
  private esc = '';
  /** typed ahead while no line was asked for: kept for the next read */
  private pending: string[] = [];

  constructor(private readonly host: LineEditorHost) {}

  /** Whether a read is waiting for a line. */
  get reading(): boolean {
    return this.waiter !== undefined;
  }

  /** Show `prompt` and read one line (null at Ctrl-D on an empty line). */
  read(prompt: string): Promise<string | null> {
    this.prompt = prompt;
    this.line = '';
    this.pos = 0;
    this.hpos = this.history.length;
    this.host.write(prompt);
    const p = new Promise<string | null>((r) => { this.waiter = r; });
    const ahead = this.pending.splice(0);
    for (const k of ahead) this.feed(k);
    return p;
  }

  /** Keystrokes from the terminal. */
  feed(text: string): void {
    if (!this.waiter) {
      this.pending.push(text);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      if (!this.waiter) {
        // the line ended mid-chunk: the rest is for the next read
        this.pending.push(text.slice(i));
        return;
      }
      const c = text[i]!;
      if (this.esc || c === '\x1b') {
        this.esc += c;
        if (this.escape()) this.esc = '';
        continue;
      }
      this.key(c);
    }
  }

  /** Drop the line being typed (Ctrl-C at the prompt) and show the prompt again. */
  cancel(): void {
    this.host.write('^C\r\n');
    this.line = '';
    this.pos = 0;
    this.host.write(this.prompt);
  }

  /** Handle the escape sequence gathered in `esc`; false while it is incomplete. */
  private escape(): boolean {
    const s = this.esc;
    if (s === '\x1b') return false;
    if (s === '\x1b[' || s === '\x1bO') return false;
    if ((s.startsWith('\x1b[') && !/[~A-Za-z]$/.test(s)) || s.length > 8) return s.length > 8;
    const key = s.slice(-1);
    if (key === 'D' && this.pos > 0) this.pos--;
    else if (key === 'C' && this.pos < this.line.length) this.pos++;
    else if (key === 'H' || s === '\x1b[1~') this.pos = 0;
    else if (key === 'F' || s === '\x1b[4~') this.pos = this.line.length;
    else if (s === '\x1b[3~') this.line = this.line.slice(0, this.pos) + this.line.slice(this.pos + 1);
    else if (key === 'A') this.browse(-1);
    else if (key === 'B') this.browse(1);
    this.redraw();
    return true;
  }

  private browse(step: number): void {
    const to = this.hpos + step;
    if (to < 0 || to > this.history.length) return;
    if (this.hpos === this.history.length) this.draft = this.line;
    this.hpos = to;
    this.line = to === this.history.length ? this.draft : this.history[to]!;
    this.pos = this.line.length;
  }

  private key(c: string): void {
    const code = c.charCodeAt(0);
    switch (c) {
      case '\r':
      case '\n':
        return this.enter();
      case '\x7f':
      case '\b':
        if (this.pos > 0) {
          this.line = this.line.slice(0, this.pos - 1) + this.line.slice(this.pos);
          this.pos--;
        }
        break;
      case '\x01': this.pos = 0; break;
      case '\x05': this.pos = this.line.length; break;
      case '\x02': if (this.pos > 0) this.pos--; break;
      case '\x06': if (this.pos < this.line.length) this.pos++; break;
      case '\x15': this.line = this.line.slice(this.pos); this.pos = 0; break;
      case '\x0b': this.line = this.line.slice(0, this.pos); break;
      case '\x17': {
        const before = this.line.slice(0, this.pos).replace(/\S+\s*$/, '');
        this.line = before + this.line.slice(this.pos);
        this.pos = before.length;
        break;
      }
      case '\x0c': this.host.write('\x1b[H\x1b[2J'); break;
      case '\x03': return this.cancel();
      case '\x04':
        if (this.line === '') return this.finish(null);
        this.line = this.line.slice(0, this.pos) + this.line.slice(this.pos + 1);
        break;
      case '\t': this.complete(); break;
      default:
        if (code < 0x20) return; // other control keys do nothing here
        this.line = this.line.slice(0, this.pos) + c + this.line.slice(this.pos);
        this.pos++;
        if (this.pos === this.line.length) {
          this.host.write(c); // typing at the end: no redraw
          return;
        }
    }
    this.redraw();
  }

  private complete(): void {
    const head = this.line.slice(0, this.pos);
    if (/\s/.test(head.trimStart())) return; // only the command name is completed
    const word = head.trimStart();
    const names = this.host.complete(word);
    if (names.length === 0) return;
    let common = names[0]!;
    for (const n of names) while (!n.startsWith(common)) common = common.slice(0, -1);
    if (common.length > word.length) {
      const add = common.slice(word.length) + (names.length === 1 ? ' ' : '');
      this.line = head + add + this.line.slice(this.pos);
      this.pos += add.length;
    } else if (names.length > 1) {
      this.host.write(`\r\n${names.join('  ')}\r\n${this.prompt}`);
    }
  }

  private enter(): void {
    const line = this.line;
    this.pos = line.length;
    this.redraw();
    this.host.write('\r\n');
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > HISTORY) this.history.shift();
    }
    this.finish(line);
  }

  private finish(line: string | null): void {
    if (line === null) this.host.write('\r\n');
    const w = this.waiter;
    this.waiter = undefined;
    w?.(line);
  }

  /** Prompt and line again, the cursor at pos. */
  private redraw(): void {
    const back = this.line.length - this.pos;
    this.host.write(`\r${this.prompt}${this.line}\x1b[K${back > 0 ? `\x1b[${back}D` : ''}`);
  }
}
