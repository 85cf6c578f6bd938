/**
 * Tiny measuring helpers for `npm run bench`: run a body for a fixed time after a warm-up
 * and report operations per second and latency percentiles. Figures are printed, never
 * asserted: speed goals are checked by reading them, not by timed unit tests.
 */
export interface Measurement {
  name: string;
  opsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
}

export function measure(name: string, body: () => unknown, seconds = 1.5): Measurement {
  const warmUntil = performance.now() + 200;
  while (performance.now() < warmUntil) body();
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const start = performance.now();
    body();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const total = samples.reduce((sum, value) => sum + value, 0);
  const at = (q: number) => (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0) * 1000;
  return { name, opsPerSecond: samples.length / (total / 1000), p50Micros: at(0.5), p99Micros: at(0.99) };
}

export function printTable(title: string, rows: Measurement[]): void {
  console.log(`\n${title}`);
  for (const row of rows) {
    console.log(
      `  ${row.name.padEnd(48)} ${Math.round(row.opsPerSecond).toLocaleString('en-US').padStart(12)} ops/s   p50 ${row.p50Micros.toFixed(1).padStart(7)} µs   p99 ${row.p99Micros.toFixed(1).padStart(7)} µs`,
    );
  }
}

export function printRatio(label: string, numerator: Measurement, denominator: Measurement): void {
  console.log(`  ratio ${label}: ${(numerator.opsPerSecond / denominator.opsPerSecond).toFixed(2)}×`);
}
