import { PassThrough } from "node:stream";
import { ProgressBars } from "@tofu-oci/cli-kit";
import { formatBytes } from "@tofu-oci/core";
import { describe, expect, it } from "vitest";

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe("ProgressBars (cli-kit) as push drives them", () => {
  it("draws nothing when disabled (stderr not a terminal, or --quiet)", () => {
    const out = capture();
    const bars = new ProgressBars(out.stream, { enabled: false });
    bars.start("a", "net.zip", 100);
    bars.update("a", 50);
    bars.finish("a", "uploaded");
    bars.stop();
    expect(out.text()).toBe("");
  });

  it("redraws one line per blob in place and ends with the final state", () => {
    const out = capture();
    const bars = new ProgressBars(out.stream, { enabled: true, barWidth: 10 });
    bars.start("a", "net.zip", 2_000_000);
    bars.start("b", "config", 2);
    bars.update("a", 1_000_000);
    bars.stop();
    expect(out.text()).toContain("[=====     ]  50% 1.00 MB/2.00 MB");
    bars.finish("a", "uploaded");
    bars.stop();
    const last = out.text().split("\u001b[2F").at(-1)!;
    expect(last).toContain("100% 2.00 MB/2.00 MB");
    expect(last).toContain("net.zip (uploaded)");
  });

  it("formats bytes in decimal units", () => {
    expect([formatBytes(999), formatBytes(1500), formatBytes(1_073_741_824)]).toEqual(["999 B", "1.50 kB", "1.07 GB"]);
  });
});
