// Command-line parser: `;`-separated simple commands, words with POSIX-style
// quoting ('...' literal, "..." with \" \\ \$ \` escapes, backslash outside
// quotes), `#` comments, and output redirection: `>` and `>>` (optionally
// with fd 1 or 2: `2>`, `2>>`) and duplication `2>&1`, `>&2`.

/** `>` truncate, `>>` append, `>&` make `fd` a copy of fd `target`. */
export type RedirectOp = '>' | '>>' | '>&';

export interface Redirect {
  /** 1 (stdout) or 2 (stderr). */
  fd: 1 | 2;
  op: RedirectOp;
  /** File name, or "1"/"2" for `>&`. */
  target: string;
}

export interface SimpleCommand {
  argv: string[];
  redirects: Redirect[];
}

export type ParseResult = { ok: true; commands: SimpleCommand[] } | { ok: false; error: string };

type Token =
  | { kind: 'word'; value: string }
  | { kind: 'op'; value: ';' }
  | { kind: 'redirect'; fd: 1 | 2; op: RedirectOp; dupTarget?: '1' | '2' };

/** Characters that end an unquoted word. */
const SEPARATORS = new Set([' ', '\t', '\n', '\r', ';', '>', '<', '|', '&']);
/** Operators of a full shell this one does not have: reported instead of taken literally. */
const UNSUPPORTED: Record<string, string> = { '<': 'input redirection', '|': 'pipes', '&': 'background jobs and &&' };
/** Characters a backslash escapes inside double quotes. */
const DQ_ESCAPES = new Set(['"', '\\', '$', '`', '\n']);

class SyntaxError_ extends Error {}

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let word = '';
  let inWord = false;
  /** Part of the current word was quoted or escaped (then "2" before ">" is not an fd). */
  let quoted = false;
  const endWord = () => {
    if (inWord) tokens.push({ kind: 'word', value: word });
    word = '';
    inWord = false;
    quoted = false;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxError_("unterminated quote '");
      word += line.slice(i + 1, end);
      inWord = true;
      quoted = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      quoted = true;
      i++;
      for (;;) {
        if (i >= line.length) throw new SyntaxError_('unterminated quote "');
        const d = line[i]!;
        if (d === '"') { i++; break; }
        if (d === '\\' && i + 1 < line.length && DQ_ESCAPES.has(line[i + 1]!)) {
          if (line[i + 1] !== '\n') word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new SyntaxError_('backslash at end of line');
      if (line[i + 1] !== '\n') { word += line[i + 1]; inWord = true; quoted = true; }
      i += 2;
    } else if (c === '#' && !inWord) {
      break;
    } else if (SEPARATORS.has(c)) {
      // An unquoted "1" or "2" right before '>' names the redirected fd.
      let fd: 1 | 2 = 1;
      if (c === '>' && inWord && !quoted && (word === '1' || word === '2')) {
        fd = word === '1' ? 1 : 2;
        word = '';
        inWord = false;
      }
      endWord();
      if (c === ';' || c === '\n') {
        tokens.push({ kind: 'op', value: ';' });
        i++;
      } else if (c === '>') {
        if (line[i + 1] === '&') {
          const target = line[i + 2];
          if (target !== '1' && target !== '2') throw new SyntaxError_("'>&' needs 1 or 2 (e.g. 2>&1)");
          tokens.push({ kind: 'redirect', fd, op: '>&', dupTarget: target });
          i += 3;
        } else {
          const op: RedirectOp = line[i + 1] === '>' ? '>>' : '>';
          tokens.push({ kind: 'redirect', fd, op });
          i += op.length;
        }
      } else if (UNSUPPORTED[c]) {
        throw new SyntaxError_(`'${c}' (${UNSUPPORTED[c]}) is not supported`);
      } else {
        i++;
      }
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  endWord();
  return tokens;
}

/** Parse one command line. Empty commands (`;;`, blank line) are dropped. */
export function parseLine(line: string): ParseResult {
  let tokens: Token[];
  try {
    tokens = tokenize(line);
  } catch (e) {
    if (e instanceof SyntaxError_) return { ok: false, error: `syntax error: ${e.message}` };
    throw e;
  }
  const commands: SimpleCommand[] = [];
  let cur: SimpleCommand = { argv: [], redirects: [] };
  const flush = () => {
    if (cur.argv.length > 0 || cur.redirects.length > 0) commands.push(cur);
    cur = { argv: [], redirects: [] };
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'word') {
      cur.argv.push(t.value);
    } else if (t.kind === 'op') {
      flush();
    } else if (t.dupTarget) {
      cur.redirects.push({ fd: t.fd, op: '>&', target: t.dupTarget });
    } else {
      const next = tokens[i + 1];
      if (!next || next.kind !== 'word') {
        const near = !next ? 'newline' : next.kind === 'op' ? ';' : next.op;
        return { ok: false, error: `syntax error near unexpected token \`${near}'` };
      }
      cur.redirects.push({ fd: t.fd, op: t.op, target: next.value });
      i++;
    }
  }
  flush();
  return { ok: true, commands };
}

/** Split combined short options: ["-la", "x"] → flags {l,a}, operands ["x"]. `--` ends options. */
export function getopt(
  args: string[],
  allowed: string,
): { ok: true; flags: Set<string>; operands: string[] } | { ok: false; bad: string } {
  const flags = new Set<string>();
  const operands: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { i++; break; }
    if (a.length < 2 || a[0] !== '-') break;
    for (const ch of a.slice(1)) {
      if (!allowed.includes(ch)) return { ok: false, bad: ch };
      flags.add(ch);
    }
  }
  operands.push(...args.slice(i));
  return { ok: true, flags, operands };
}
