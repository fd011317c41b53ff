// The shell with all builtins registered. Import this module (not the
// builtin files one by one) to get the complete command set.

import './help.js';
import './fs.js';
import './mount.js';
import './proc.js';
import './sys.js';

export { Shell, PROMPT, STATUS_NOT_FOUND, STATUS_SYNTAX, type ShellOptions } from './shell.js';
export { commands, registerCommand, CommandRegistry, type Command, type CommandContext, type Output } from './registry.js';
export { parseLine, getopt, type SimpleCommand, type Redirect, type ParseResult } from './parser.js';
