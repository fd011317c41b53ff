// The page's line editor for the embox shell, fed keystrokes as xterm.js
// sends them: editing keys, history, completion, Ctrl-C and Ctrl-D, and
// typing ahead of the prompt.
import test from 'ava';
import { LineEditor } from '../../web/line-editor.js';

function editor(names: string[] = []) {
  const out = { text: '' };
  const ed = new LineEditor({ write: (s) => { out.text += s; }, complete: (w) => names.filter((n) => n.startsWith(w)) });
  return { ed, out };
}

test('editing keys: cursor moves, insertion, deletion, kill to start and end, word rubout', async (t) => {
  const { ed } = editor();
  let line = ed.read('> ');
  ed.feed('helo\x1b[D l\x7f\x1b[C\x1b[Cx\r'); // left, insert " l", backspace, right twice, x
  t.is(await line, 'hel ox');
  line = ed.read('> ');
  ed.feed('abc def\x01X\x05Y\x1b[H\x1b[3~\r'); // Ctrl-A, Ctrl-E, Home, Delete
  t.is(await line, 'abc defY'); // "Xabc defY", then the X deleted
  line = ed.read('> ');
  ed.feed('one two three\x17\x17four\x01\x06\x0b\r'); // two Ctrl-W, Ctrl-A, Ctrl-F, Ctrl-K
  t.is(await line, 'o');
  line = ed.read('> ');
  ed.feed('keep\x01drop\x15\r'); // Ctrl-U drops what is before the cursor
  t.is(await line, 'keep');
});

test('history: up and down, the line being typed kept', async (t) => {
  const { ed } = editor();
  for (const l of ['first', 'second']) {
    const p = ed.read('> ');
    ed.feed(`${l}\r`);
    await p;
  }
  let line = ed.read('> ');
  ed.feed('draft\x1b[A\x1b[A\r');
  t.is(await line, 'first');
  line = ed.read('> ');
  ed.feed('draft\x1b[A\x1b[B\r');
  t.is(await line, 'draft');
  line = ed.read('> ');
  ed.feed('\x1bOA\r'); // application cursor mode's up
  t.is(await line, 'draft');
});

test('Tab completes the command name; Ctrl-C drops the line; Ctrl-D on an empty line ends input', async (t) => {
  const { ed, out } = editor(['load_app', 'ls', 'lsmod']);
  let line = ed.read('embox> ');
  ed.feed('lo\t/bin/true\r');
  t.is(await line, 'load_app /bin/true');
  line = ed.read('embox> ');
  ed.feed('ls\t');
  t.regex(out.text, /\r\nls  lsmod\r\nembox> \r?(embox> )?ls(\x1b\[K)?$/); // several: listed
  ed.feed('m\t\r');
  t.is(await line, 'lsmod ');
  line = ed.read('embox> ');
  ed.feed('half typed\x03');
  t.regex(out.text, /half typed\^C\r\nembox> $/);
  ed.feed('x\x04\r'); // Ctrl-D on a line deletes under the cursor
  t.is(await line, 'x');
  line = ed.read('embox> ');
  ed.feed('\x04');
  t.is(await line, null);
});

test('keys typed before the prompt wait for it, and a chunk with two lines gives both', async (t) => {
  const { ed } = editor();
  ed.feed('early\rsecond\r');
  t.is(await ed.read('> '), 'early');
  t.is(await ed.read('> '), 'second');
  const p = ed.read('> ');
  ed.feed('a\rb\r');
  t.is(await p, 'a');
  t.is(await ed.read('> '), 'b');
});
