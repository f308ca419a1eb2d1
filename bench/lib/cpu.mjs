// How busy each CPU is, and how much of that is a given process: the bench shares its machine,
// so every run records how much of the server's CPU went to other processes.
import { readdirSync, readFileSync } from 'node:fs';

/** Per-CPU jiffies from /proc/stat: { cpu0: { busy, total }, … }. Steal counts as busy. */
export function cpuTimes() {
  const out = {};
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^(cpu\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = m[2].split(/\s+/).map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    out[m[1]] = { busy, total: busy + idle + iowait };
  }
  return out;
}

/** utime + stime of a process (all its threads), in jiffies; null once it is gone. */
export function processTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** A snapshot to diff later with {@link cpuShare}. */
export function snapshot(pid) {
  return { cpus: cpuTimes(), ticks: pid ? processTicks(pid) : null };
}

/**
 * Between two snapshots, on CPU `cpu`: the share used by process `pid` (`own`) and by everything
 * else (`other`), each 0..1.
 */
export function cpuShare(before, after, cpu) {
  const key = `cpu${cpu}`;
  const total = after.cpus[key].total - before.cpus[key].total;
  const busy = after.cpus[key].busy - before.cpus[key].busy;
  const own = before.ticks !== null && after.ticks !== null ? after.ticks - before.ticks : 0;
  if (total <= 0) return { own: 0, other: 0 };
  return { own: Math.min(1, own / total), other: Math.max(0, (busy - own) / total) };
}

/** Busy share of every CPU over `ms`. */
export async function busyOver(ms) {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  return Object.keys(b).map((k) => {
    const total = b[k].total - a[k].total;
    return total > 0 ? (b[k].busy - a[k].busy) / total : 0;
  });
}

/** Pids of the local database and cache servers (their CPU is part of the workload, not noise). */
export function servicePids(names = ['redis-server', 'mariadbd', 'mysqld']) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** utime + stime summed over `pids`. */
export function ticksOf(pids) {
  return pids.reduce((sum, pid) => sum + (processTicks(pid) ?? 0), 0);
}
