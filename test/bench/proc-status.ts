import { readFileSync } from 'node:fs';

/**
 * A process's peak resident set size in KiB (VmHWM in /proc/<pid>/status,
 * Linux), or null when it cannot be read (process gone, not Linux).
 */
export function peakRssKib(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
