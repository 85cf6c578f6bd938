import { describe, expect, it } from 'vitest';
import { AddressBook } from '../../../../src/sim/guests/addressing.js';
import { type KnownHost, matchesHost } from '../../../../src/tasks/ssh/known-hosts.js';

const entry = (hosts: string): KnownHost => ({ hosts, keyType: 'ssh-ed25519', key: Buffer.alloc(0) });

describe('guest address book', () => {
  it('hands out .10 upward, one address per VM, stable for the VM', () => {
    const book = new AddressBook('auto', '127.9.8.');
    expect(book.assign('vm-a', undefined)).toBe('127.9.8.10');
    expect(book.assign('vm-b', undefined)).toBe('127.9.8.11');
    expect(book.assign('vm-a', undefined)).toBe('127.9.8.10');
  });

  it('reuses the address a VM had before when it is under the prefix and free', () => {
    const book = new AddressBook('loopback', '127.9.8.');
    expect(book.assign('vm-a', '127.9.8.42')).toBe('127.9.8.42');
    // Taken by vm-a, outside the prefix, below .10 or not an address: a fresh one instead.
    expect(book.assign('vm-b', '127.9.8.42')).toBe('127.9.8.10');
    expect(book.assign('vm-c', '127.0.0.1')).toBe('127.9.8.11');
    expect(book.assign('vm-d', '127.9.8.3')).toBe('127.9.8.12');
    expect(book.assign('vm-e', '127.9.8.010')).toBe('127.9.8.13');
  });

  it('has no addresses in ports mode, and none left after .254', () => {
    expect(new AddressBook('ports', '127.9.8.').assign('vm-a', '127.9.8.20')).toBeUndefined();
    const book = new AddressBook('auto', '127.9.8.');
    for (let i = 10; i <= 254; i += 1) book.assign(`vm-${i}`, undefined);
    expect(book.assign('one-too-many', undefined)).toBeUndefined();
  });

  it("gives known_hosts patterns Patchbay's SSH task matches for every address it may use", () => {
    const auto = new AddressBook('auto', '127.9.8.').patterns();
    expect(auto).toEqual(['127.9.8.*', '[127.0.0.1]:*']);
    const matches = (patterns: string[], host: string, port: number) => patterns.some((pattern) => matchesHost(entry(pattern), host, port));
    expect(matches(auto, '127.9.8.10', 22)).toBe(true);
    expect(matches(auto, '127.0.0.1', 41234)).toBe(true);
    expect(matches(auto, '127.9.7.10', 22)).toBe(false);
    expect(matches(auto, '10.0.0.5', 22)).toBe(false);
    expect(new AddressBook('loopback', '127.9.8.').patterns()).toEqual(['127.9.8.*']);
    expect(new AddressBook('ports', '127.9.8.').patterns()).toEqual(['[127.0.0.1]:*']);
  });
});
