// The shell's command set at start: the builtins (src/rtos/shell registers
// them itself) and the commands of the layers above the RTOS, which the shell
// cannot import: load_app (src/tasks) runs i386 programs, strace runs them traced.

import { commands, type CommandRegistry } from '../rtos/shell/index.js';
import { loadAppCommand } from '../tasks/load-app.js';
import { straceCommand } from '../tasks/strace-command.js';

/** Add the commands above the RTOS to `registry` (again is harmless: a name is registered once). */
export function registerCommands(registry: CommandRegistry = commands): CommandRegistry {
  registry.register(loadAppCommand);
  registry.register(straceCommand);
  return registry;
}
