/**
 * The benchmarks' pure helpers (scripts/bench-lib.mjs): percentiles, and the /proc parsers that
 * decide whose CPU and memory a benchmark reports and whether the port is its own server's.
 */
import { describe, expect, it } from "vitest";
import { childrenOf, latencySummary, parseCpuLine, parseListeningInodes, parseStat, parseStatus, percentile, webConcurrencyOf } from "../../scripts/bench-lib.mjs";

describe("percentile (nearest rank)", () => {
  const v = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
  it("takes the value at the rank, not an average", () => {
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 95)).toBe(95);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile(v, 100)).toBe(100);
    expect(percentile(v, 0)).toBe(1);
  });
  it("small and empty samples", () => {
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
  });
  it("latencySummary sorts a copy and rounds to 0.1 ms", () => {
    const raw = [5.04, 1.26, 3, 2, 4];
    expect(latencySummary(raw)).toEqual({ p50: 3, p95: 5, p99: 5, max: 5, mean: 3.1 });
    expect(raw[0]).toBe(5.04);
    expect(latencySummary([])).toEqual({ p50: null, p95: null, p99: null, max: null, mean: null });
  });
});

describe("/proc parsers", () => {
  it("parseStat counts fields after the last parenthesis (names may hold spaces and parentheses)", () => {
    const text = "4242 (node (worker) 1) S 4200 4242 4100 0 -1 4194560 1 0 0 0 1234 567 0 0 20 0 11 0 99 0 0\n";
    expect(parseStat(text)).toEqual({ pid: 4242, comm: "node (worker) 1", state: "S", ppid: 4200, utime: 1234, stime: 567 });
  });
  it("parseStatus reads VmRSS in kB, 0 when absent", () => {
    expect(parseStatus("Name:\tnode\nVmPeak:\t 900000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\n")).toBe(123456);
    expect(parseStatus("Name:\tzombie\nState:\tZ (zombie)\n")).toBe(0);
  });
  it("parseListeningInodes keeps only LISTEN (0A) sockets on the port", () => {
    const tcp = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:0F4D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5001 1 0 100 0 0 10 0",
      "   1: 0100007F:BBA8 0100007F:0F4D 06 00000000:00000000 03:000006E6 00000000     0        0 0 3 0",
      "   2: 0100007F:0F4D 0100007F:BBAA 01 00000000:00000000 00:00000000 00000000     0        0 5002 1 0",
      "   3: 00000000:0F4E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5003 1 0",
    ].join("\n");
    expect(parseListeningInodes(tcp, 3917)).toEqual([5001]);
    expect(parseListeningInodes(tcp, 3918)).toEqual([5003]);
    expect(parseListeningInodes(tcp, 48040)).toEqual([]);
    const tcp6 = "  sl  local_address ...\n   0: 00000000000000000000000000000000:0F4D 00000000000000000000000000000000:0000 0A 0:0 00:0 0 0 0 6001 1 0\n";
    expect(parseListeningInodes(tcp6, 3917)).toEqual([6001]);
  });
  it("childrenOf finds the whole tree (a cluster primary and its workers), not siblings", () => {
    const procs = [
      { pid: 1, ppid: 0 },
      { pid: 10, ppid: 1 }, // the benchmark
      { pid: 20, ppid: 10 }, // the server primary
      { pid: 21, ppid: 20 }, // worker
      { pid: 22, ppid: 20 }, // worker
      { pid: 30, ppid: 10 }, // the upload client: not the server's
      { pid: 23, ppid: 21 },
    ];
    expect(childrenOf(procs, 20).sort((a, b) => a - b)).toEqual([20, 21, 22, 23]);
    expect(childrenOf(procs, 30)).toEqual([30]);
  });
  it("parseCpuLine: busy excludes idle and iowait", () => {
    expect(parseCpuLine("cpu  100 5 50 800 20 1 2 3 0 0\ncpu0 1 2 3\n")).toEqual({ busy: 161, total: 981 });
  });
  it("webConcurrencyOf matches serve.mjs", () => {
    expect(webConcurrencyOf(undefined)).toBe(1);
    expect(webConcurrencyOf("2")).toBe(2);
    expect(webConcurrencyOf("0")).toBe(1);
    expect(webConcurrencyOf("abc")).toBe(1);
    expect(webConcurrencyOf("1000")).toBe(64);
  });
});
