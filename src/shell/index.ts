export { SHELL_PROMPT, type ShellOptions, runShell } from './shell.js';
