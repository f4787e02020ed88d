/** Wall and CPU time of one phase of the measured process. */
export interface PhaseTiming {
  readonly wallMs: number;
  /** User plus system CPU time of this process during the phase. */
  readonly cpuMs: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** Runs `work` and measures it; CPU time is this process's alone. */
export async function measure<T>(work: () => T | Promise<T>): Promise<{ value: T; timing: PhaseTiming }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, timing: { wallMs: round(wallMs), cpuMs: round((used.user + used.system) / 1000) } };
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024);
}
