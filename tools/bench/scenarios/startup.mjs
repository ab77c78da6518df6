// Benchmark scenario (issue 11, scenario 5): cold start of every bin, `BIN --version`, against a
// bare `node -e 0`, interleaved round-robin so load from elsewhere hits all alike. Goal: a median
// under 150 ms above bare node's.
import { binOf, listMs, median, round, timeProcess } from "../lib.mjs";

export const name = "startup";

const BINS = ["pack", "push", "verify", "mirror", "auth", "cli"];
const GOAL_MS = 150;

/** @param {{ repetitions: number, log: (line: string) => void }} options */
export async function run({ repetitions, log }) {
  const runs = Math.max(15, repetitions * 3);
  const commands = [["node -e 0", ["-e", "0"]], ...BINS.map((bin) => [bin, [binOf(bin), "--version"]])];
  const times = new Map(commands.map(([label]) => [label, []]));
  const cpu = new Map(commands.map(([label]) => [label, []]));
  const rss = new Map(commands.map(([label]) => [label, 0]));
  for (let i = 0; i < runs; i++) {
    // Rotate the order so no bin always runs right after another.
    for (let k = 0; k < commands.length; k++) {
      const [label, args] = commands[(i + k) % commands.length];
      const result = await timeProcess(process.execPath, args);
      times.get(label).push(result.ms);
      cpu.get(label).push(result.cpuMs);
      rss.set(label, Math.max(rss.get(label), result.peakRssMb));
    }
  }
  const nodeMs = median(times.get("node -e 0"));
  const nodeCpuMs = median(cpu.get("node -e 0"));
  log(`${runs} runs each; node -e 0: ${listMs(times.get("node -e 0"))}`);
  return BINS.map((bin) => {
    const ms = median(times.get(bin));
    return {
      scenario: `cold start: tofu-oci-${bin === "cli" ? "(umbrella)" : bin} --version`,
      ours: { medianMs: Math.round(ms), peakRssMb: round(rss.get(bin), 1) },
      peer: { name: "node -e 0", medianMs: Math.round(nodeMs) },
      ratio: round(ms / nodeMs, 2),
      goal: `< ${GOAL_MS} ms above node`,
      met: ms - nodeMs < GOAL_MS,
      notes:
        `${runs} runs round-robin with node -e 0 and the other bins; +${Math.round(ms - nodeMs)} ms wall over bare node; ` +
        `CPU (user + system, median, 10 ms resolution) ${Math.round(median(cpu.get(bin)))} ms vs node's ${Math.round(nodeCpuMs)} ms; all runs ms: ${listMs(times.get(bin))}`,
    };
  });
}
