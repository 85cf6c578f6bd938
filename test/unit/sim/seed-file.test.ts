import { describe, expect, it } from 'vitest';
import { parseSeedVms, parseSize } from '../../../src/sim/seed-file.js';

describe('parseSize', () => {
  it.each([
    [4294967296, 4294967296],
    ['4GiB', 4 * 1024 ** 3],
    ['4 GB', 4 * 1024 ** 3],
    ['512M', 512 * 1024 ** 2],
    ['1.5TiB', 1.5 * 1024 ** 4],
    ['2048', 2048],
    ['lots', undefined],
    [-1, undefined],
    ['0GiB', undefined],
  ])('%j → %j', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });
});

describe('parseSeedVms', () => {
  it('reads YAML or JSON, categories as a list or a map', () => {
    const yaml = parseSeedVms('- name: a\n  cpu: 2\n  memory: 2GiB\n  disk: 10GiB\n  categories: {Environment: Lab, Tier: 1}\n  powerState: OFF\n', 'vms.yaml');
    expect(yaml).toEqual([{ name: 'a', cpu: 2, memoryBytes: 2 * 1024 ** 3, diskBytes: 10 * 1024 ** 3, powerState: 'OFF', categories: ['Environment:Lab', 'Tier:1'] }]);
    expect(parseSeedVms('[{"name":"b","categories":["Department:Web"]}]', 'vms.json')).toEqual([{ name: 'b', categories: ['Department:Web'] }]);
  });

  it.each([
    ['name: a', /^--vms f\.yaml: \(top level\): must be a list of VMs/],
    ['[]', /must list at least one VM/],
    ['- cpu: 2', /^--vms f\.yaml: \[0\]\.name: is required/],
    ['- name: a\n  cpu: 0', /\[0\]\.cpu: must be at least 1/],
    ['- name: a\n  memory: 1MiB', /\[0\]\.memory: "1MiB" is not a size of at least 64MiB/],
    ['- name: a\n  powerState: PAUSED', /\[0\]\.powerState: must be ON or OFF/],
    ['- name: a\n  categories: [Production]', /\[0\]\.categories/],
    ['- name: a\n  ram: 4GiB', /\[0\]: .*ram; known: name, cpu, memory/],
    ['- name: [a', /^--vms f\.yaml: not valid YAML or JSON/],
  ])('%j is refused naming the file and field', (text, pattern) => {
    expect(() => parseSeedVms(text, 'f.yaml')).toThrow(pattern);
  });
});
