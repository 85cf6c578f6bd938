import { describe, expect, it } from 'vitest';
import { type AndOrList, type SimpleCommand, type Word, parseScript } from '../../../../src/sim/guests/shell-parse.js';

/** Words of a command with variables shown as $NAME, to compare against plain strings. */
const show = (word: Word) => word.map((part) => (part.kind === 'text' ? part.text : `$${part.name}`)).join('');
const argv = (command: SimpleCommand) => command.words.map(show);
const commands = (list: AndOrList) => [argv(list.first), ...list.rest.map(({ op, command }) => [op, ...argv(command)])];

describe('guest shell parser', () => {
  it('splits on newlines and ; into lists, && and || inside a list', () => {
    const lists = parseScript('sudo apt-get update && sudo apt-get upgrade -y\necho done; false || echo fallback');
    expect(lists.map(commands)).toEqual([
      [['sudo', 'apt-get', 'update'], ['&&', 'sudo', 'apt-get', 'upgrade', '-y']],
      [['echo', 'done']],
      [['false'], ['||', 'echo', 'fallback']],
    ]);
  });

  it('resolves quotes and escapes, keeps variables for run time except in single quotes', () => {
    const [list] = parseScript(`echo 'a  $HOME' "b \\"q\\" $USER" c\\ d \${HOSTNAME}x $? ""`);
    expect(argv(list!.first)).toEqual(['echo', 'a  $HOME', 'b "q" $USER', 'c d', '$HOSTNAMEx', '$?', '']);
    const single = list!.first.words[1]!;
    expect(single.every((part) => part.kind === 'text')).toBe(true);
  });

  it('skips comments, blank lines and backslash-newline continuations', () => {
    const lists = parseScript('# patch\n\n  apt-get \\\n  update   # refresh\n');
    expect(lists.map(commands)).toEqual([[['apt-get', 'update']]]);
  });

  it('reads redirections to files and between descriptors', () => {
    const [list] = parseScript('apt-get update >/dev/null 2>&1; echo warn >&2; echo x &> out.log; echo y 2>> err.log');
    expect(list!.first.redirects).toEqual([
      { from: 1, to: { word: [{ kind: 'text', text: '/dev/null' }], append: false } },
      { from: 2, to: { fd: 1 } },
    ]);
    const [, warn, both, append] = parseScript('true; echo warn >&2; echo x &> out.log; echo y 2>> err.log');
    expect(warn!.first.redirects).toEqual([{ from: 1, to: { fd: 2 } }]);
    expect(both!.first.redirects[0]!.from).toBe('both');
    expect(append!.first.redirects[0]).toEqual({ from: 2, to: { word: [{ kind: 'text', text: 'err.log' }], append: true } });
  });

  it('refuses syntax it does not model, naming it', () => {
    expect(() => parseScript('apt list --upgradable | wc -l')).toThrow(/pipe \(\|\) is not supported/);
    expect(() => parseScript('echo $(hostname)')).toThrow(/command substitution/);
    expect(() => parseScript('sleep 5 &')).toThrow(/background/);
    expect(() => parseScript('if true; then reboot; fi')).toThrow(/`if' is not supported/);
    expect(() => parseScript('(cd /tmp)')).toThrow(/subshell/);
  });

  it('reports broken scripts as bash does', () => {
    expect(() => parseScript('echo "unterminated')).toThrow(/matching `"'/);
    expect(() => parseScript("echo 'unterminated")).toThrow(/matching `''/);
    expect(() => parseScript('&& echo')).toThrow(/unexpected token `&&'/);
    expect(() => parseScript('echo a &&')).toThrow(/expected a command after `&&'/);
    expect(() => parseScript('echo a >')).toThrow(/needs a file name/);
  });

  it('parses an empty script to nothing', () => {
    expect(parseScript('')).toEqual([]);
    expect(parseScript('\n;\n')).toEqual([]);
  });
});
