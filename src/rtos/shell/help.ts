// Help commands: help, man.

import { registerCommand, type CommandContext } from './registry.js';
import { fail, manPage } from './util.js';

async function help(ctx: CommandContext): Promise<number> {
  const list = ctx.shell.registry.list();
  const width = Math.max(0, ...list.map((c) => c.name.length));
  let out = 'Available commands:\n';
  for (const c of list) out += `  ${c.name.padEnd(width)}  ${c.help}\n`;
  out += 'Type "man NAME" for details on one command.\n';
  await ctx.stdout.write(out);
  return 0;
}

async function man(ctx: CommandContext): Promise<number> {
  const name = ctx.args[0];
  if (name === undefined) return fail(ctx, 'what manual page do you want? (man NAME)');
  let status = 0;
  for (const n of ctx.args) {
    const cmd = ctx.shell.registry.get(n);
    if (!cmd) {
      status = await fail(ctx, `no manual entry for ${n}`);
      continue;
    }
    await ctx.stdout.write(cmd.man.endsWith('\n') ? cmd.man : `${cmd.man}\n`);
  }
  return status;
}

registerCommand({
  name: 'help',
  help: 'list commands',
  man: manPage('help', 'list commands', 'help', 'Lists every registered command with a one-line description.'),
  run: help,
});

registerCommand({
  name: 'man',
  help: 'show the manual of a command',
  man: manPage('man', 'show the manual of a command', 'man NAME...', 'Prints the manual text of each command NAME.'),
  run: man,
});
