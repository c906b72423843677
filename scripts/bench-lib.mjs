// Shared pieces of the benchmarks (bench:save, bench:upload): the server they measure is their own
// child process, checked before a figure is taken; its CPU and memory are read from /proc for its
// whole process tree (scripts/serve.mjs forks workers with node:cluster when WEB_CONCURRENCY > 1),
// apart from the benchmark's own client.
//   Pure helpers (tests/unit/bench-lib.test.ts): percentile, latencySummary, parseStat, parseStatus,
//   parseListeningInodes, childrenOf, parseCpuLine, webConcurrencyOf.
//   Linux /proc readers: processTree, cpuTicksOf, rssKbOf, machineCpu, listeningInodes, socketInodesOf.
//   startOwnServer: refuses a port already in use, spawns scripts/serve.mjs, waits for its own
//   "đang chạy tại" line(s) and checks that the listening socket belongs to its process tree.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

/**
 * The p-th percentile (0-100) of values already sorted ascending (nearest rank); NaN when empty.
 * @param {number[]} sorted
 * @param {number} p
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * p50/p95/p99/max/mean of latencies in ms, rounded to 0.1 ms (sorts a copy).
 * @param {number[]} values
 */
export function latencySummary(values) {
  const s = [...values].sort((a, b) => a - b);
  const r = (/** @type {number} */ x) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)), max: r(s[s.length - 1] ?? NaN), mean: r(mean) };
}

/**
 * /proc/<pid>/stat: the name may hold spaces and parentheses, so fields are counted after the last ")".
 * utime and stime are in clock ticks (fields 14 and 15 of proc(5)).
 * @param {string} text
 */
export function parseStat(text) {
  const close = text.lastIndexOf(")");
  const open = text.indexOf("(");
  const rest = text.slice(close + 2).trim().split(/\s+/);
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), state: rest[0], ppid: Number(rest[1]), utime: Number(rest[11]), stime: Number(rest[12]) };
}

/**
 * VmRSS (kB) of a /proc/<pid>/status text; 0 when absent (a zombie).
 * @param {string} text
 */
export function parseStatus(text) {
  const m = /^VmRSS:\s+(\d+)\s*kB/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * The inodes of the sockets listening (state 0A) on `port` in a /proc/net/tcp or tcp6 text.
 * @param {string} text
 * @param {number} port
 */
export function parseListeningInodes(text, port) {
  /** @type {number[]} */
  const out = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const local = f[1];
    const p = parseInt(local.slice(local.lastIndexOf(":") + 1), 16);
    if (p === port && f[3] === "0A") out.push(Number(f[9]));
  }
  return out;
}

/**
 * All descendants of `root` (root first) from a list of {pid, ppid}.
 * @param {{pid: number, ppid: number}[]} procs
 * @param {number} root
 */
export function childrenOf(procs, root) {
  /** @type {Map<number, number[]>} */
  const kids = new Map();
  for (const p of procs) {
    const list = kids.get(p.ppid) ?? [];
    list.push(p.pid);
    kids.set(p.ppid, list);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const k of kids.get(out[i]) ?? []) if (!out.includes(k)) out.push(k);
  return out;
}

/**
 * The first line of /proc/stat: busy and total ticks of the whole machine (all CPUs).
 * @param {string} text
 */
export function parseCpuLine(text) {
  const f = text.split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // user nice system idle iowait irq softirq steal
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * How many server processes scripts/serve.mjs starts for a WEB_CONCURRENCY value (as its webConcurrency()).
 * @param {string | undefined} v
 */
export function webConcurrencyOf(v) {
  const n = Number.parseInt(String(v ?? "1"), 10);
  return Number.isSafeInteger(n) && n > 1 ? Math.min(n, 64) : 1;
}

// ─────────────────────────────── /proc readers ───────────────────────────────

const read = (/** @type {string} */ f) => {
  try {
    return fs.readFileSync(f, "utf8");
  } catch {
    return null;
  }
};

/** Clock ticks per second (utime/stime units). */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * `pid` and all its live descendants.
 * @param {number} pid
 */
export function processTree(pid) {
  /** @type {{pid: number, ppid: number}[]} */
  const procs = [];
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    const t = read(`/proc/${e}/stat`);
    if (t) procs.push(parseStat(t));
  }
  return childrenOf(procs, pid).filter((p) => p === pid || procs.some((q) => q.pid === p));
}

/**
 * utime + stime (ticks) summed over `pids`; a pid that is gone counts 0 and is listed in `gone`.
 * @param {number[]} pids
 */
export function cpuTicksOf(pids) {
  let ticks = 0;
  /** @type {number[]} */
  const gone = [];
  for (const pid of pids) {
    const t = read(`/proc/${pid}/stat`);
    if (!t) {
      gone.push(pid);
      continue;
    }
    const s = parseStat(t);
    ticks += s.utime + s.stime;
  }
  return { ticks, gone };
}

/**
 * VmRSS in kB summed over `pids` (0 for a pid that is gone).
 * @param {number[]} pids
 */
export function rssKbOf(pids) {
  let kb = 0;
  for (const pid of pids) kb += parseStatus(read(`/proc/${pid}/status`) ?? "");
  return kb;
}

/**
 * The CPUs a process may run on (Cpus_allowed_list of /proc/<pid>/status), e.g. "0" or "0-1".
 * @param {number} pid
 */
export function cpusAllowed(pid) {
  return /^Cpus_allowed_list:\s*(\S+)/m.exec(read(`/proc/${pid}/status`) ?? "")?.[1] ?? null;
}

/** Busy and total ticks of the whole machine. */
export function machineCpu() {
  return parseCpuLine(read("/proc/stat") ?? "cpu 0 0 0 0");
}

/**
 * Inodes of the sockets listening on `port` (IPv4 and IPv6, any address).
 * @param {number} port
 */
export function listeningInodes(port) {
  return [...parseListeningInodes(read("/proc/net/tcp") ?? "", port), ...parseListeningInodes(read("/proc/net/tcp6") ?? "", port)];
}

/**
 * Socket inodes among the open files of `pid`.
 * @param {number} pid
 */
export function socketInodesOf(pid) {
  /** @type {number[]} */
  const out = [];
  let fds = [];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.push(Number(m[1]));
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

/**
 * Whether something accepts TCP connections on host:port (or listens on the port on any address).
 * @param {number} port
 * @param {string} host
 */
export async function portInUse(port, host = "127.0.0.1") {
  if (listeningInodes(port).length > 0) return true;
  return await new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (/** @type {boolean} */ v) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(1000, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

/**
 * Pins this process (all its threads) to the given CPU list with taskset; false when taskset is missing.
 * @param {string} cpus
 */
export function pinSelf(cpus) {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", cpus, String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function hasTaskset() {
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * @typedef {object} OwnServer
 * @property {import("node:child_process").ChildProcess} child
 * @property {number} pid
 * @property {number} port
 * @property {number[]} pids       the server's process tree when it was checked (primary first)
 * @property {() => boolean} alive  the child has not exited and every process of `pids` is still there
 * @property {() => Promise<void>} stop
 */

/**
 * Starts `node scripts/serve.mjs …args` as a child on `port` (0: any free port, read from its output)
 * and checks that it is the one answering: the port was free before, the child printed its own
 * "đang chạy tại http://localhost:<port>" line (one per process when WEB_CONCURRENCY > 1), it is
 * still alive, and the socket listening on the port is an open file of a process of its tree.
 * Throws with the reason otherwise (the caller exits 1). The child's output goes to stderr.
 * @param {{ port: number, args?: string[], env?: NodeJS.ProcessEnv, nodeArgs?: string[], pin?: string | null, timeoutMs?: number, cwd?: string }} o
 * @returns {Promise<OwnServer>}
 */
export async function startOwnServer({ port, args = [], env = process.env, nodeArgs = [], pin = null, timeoutMs = 120_000, cwd = process.cwd() }) {
  if (port !== 0 && (await portInUse(port))) {
    throw new Error(`port ${port} is already in use by another program: refusing to measure it (stop it, or set BENCH_PORT)`);
  }
  const expected = webConcurrencyOf(env.WEB_CONCURRENCY);
  const nodeCmd = [process.execPath, ...nodeArgs, "scripts/serve.mjs", ...args];
  const [cmd, ...argv] = pin ? ["taskset", "-c", pin, ...nodeCmd] : nodeCmd;
  const child = spawn(cmd, argv, { cwd, env: { ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let out = "";
  /** @type {number[]} */
  const ports = [];
  const ready = new Promise((resolve, reject) => {
    const onLine = (/** @type {string} */ line) => {
      const m = /đang chạy tại http:\/\/localhost:(\d+)/.exec(line);
      if (m) {
        ports.push(Number(m[1]));
        if (ports.length >= expected) resolve(undefined);
      }
    };
    let pending = "";
    child.stdout?.on("data", (/** @type {Buffer} */ c) => {
      process.stderr.write(c);
      out += c;
      pending += c;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      lines.forEach(onLine);
    });
    child.stderr?.on("data", (/** @type {Buffer} */ c) => process.stderr.write(c));
    child.once("error", reject);
    exited.then((/** @type {any} */ e) => reject(new Error(`the server exited before it was ready (${e.signal ?? e.code}): ${out.slice(-500)}`)));
    setTimeout(() => reject(new Error(`the server did not print "đang chạy tại" within ${timeoutMs / 1000} s`)), timeoutMs).unref();
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGINT");
    const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(t);
  };
  try {
    await ready;
    const got = ports[0];
    if (port !== 0 && ports.some((p) => p !== port)) throw new Error(`the server says it runs on port ${ports.join(", ")}, not ${port}`);
    if (ports.some((p) => p !== got)) throw new Error(`the server's processes run on different ports: ${ports.join(", ")}`);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error("the server exited after it started");
    const pid = /** @type {number} */ (child.pid);
    const pids = processTree(pid);
    const listening = listeningInodes(got);
    if (listening.length === 0) throw new Error(`nothing listens on port ${got}`);
    const ours = new Set(pids.flatMap(socketInodesOf));
    const foreign = listening.filter((i) => !ours.has(i));
    if (foreign.length > 0) throw new Error(`port ${got} is also listened on by a process outside the server's tree (socket inode ${foreign.join(", ")})`);
    if (pids.length < expected) throw new Error(`expected ${expected} server process(es), found ${pids.length}`);
    const alive = () => child.exitCode === null && child.signalCode === null && pids.every((p) => fs.existsSync(`/proc/${p}/stat`));
    return { child, pid, port: got, pids, alive, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * mulberry32: a small, fast, deterministic PRNG (bench:score, bench:national's generator).
 * @param {number} seed
 * @returns {() => number} values in [0, 1)
 */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
