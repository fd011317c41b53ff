// Command registry. The builtins register themselves when their module loads
// (as Embox's @Cmd), so `help` and `man` see every command, including ones
// the layers above add later (load_app: src/boot/commands.ts registers it).

import type { Console } from '../console.js';
import type { Sys } from '../sys.js';
import type { Task } from '../scheduler.js';
import type { Shell } from './shell.js';

/** Where a command writes: the console or a redirected file. */
export interface Output {
  write(text: string | Uint8Array): Promise<void>;
  /** The shell's descriptor a redirected output writes to (undefined: the console), for writers in other tasks. */
  readonly fd?: number;
}

export interface CommandContext {
  /** argv[0] is the command name. */
  argv: string[];
  /** Arguments after the name. */
  args: string[];
  sys: Sys;
  stdout: Output;
  stderr: Output;
  console: Console;
  shell: Shell;
  /** The task running the shell. */
  task: Task;
}

export interface Command {
  name: string;
  /** One line for `help`. */
  help: string;
  /** Full text for `man NAME`. */
  man: string;
  /** Returns the exit status (0 = success). */
  run(ctx: CommandContext): Promise<number> | number;
}

export class CommandRegistry {
  private readonly commands = new Map<string, Command>();

  /** Add a command; a later registration under the same name replaces the earlier one. */
  register(cmd: Command): void {
    if (!/^[A-Za-z0-9_.-]+$/.test(cmd.name)) throw new Error(`bad command name '${cmd.name}'`);
    this.commands.set(cmd.name, cmd);
  }

  unregister(name: string): boolean {
    return this.commands.delete(name);
  }

  get(name: string): Command | undefined {
    return this.commands.get(name);
  }

  /** Commands sorted by name. */
  list(): Command[] {
    return [...this.commands.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** The system-wide registry the builtins register into. */
export const commands = new CommandRegistry();

export function registerCommand(cmd: Command): void {
  commands.register(cmd);
}
