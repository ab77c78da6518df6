import type { Writable } from "node:stream";
import { formatBytes } from "@tofu-oci/core";

/** When progress bars draw: only on a terminal stderr and never with `--quiet`. */
export interface ProgressBarsOptions {
  /** Draw at all; pass `ctx.stderrIsTTY && !quiet`. When false every method does nothing. */
  enabled: boolean;
  /** Redraw at most this often. Default 100 ms. */
  intervalMs?: number;
  /** Columns of the bar itself. Default 24. */
  barWidth?: number;
}

interface Bar {
  label: string;
  total: number;
  done: number;
  status?: string;
}

const ESC = "\u001b[";

/**
 * Byte-progress bars on a terminal stream (stderr), one line per transfer, redrawn in place at
 * a bounded rate. Libraries report progress through hooks; only commands create one of these.
 */
export class ProgressBars {
  readonly #stream: Writable;
  readonly #enabled: boolean;
  readonly #barWidth: number;
  readonly #bars = new Map<string, Bar>();
  readonly #timer: NodeJS.Timeout | undefined;
  #drawnLines = 0;
  #dirty = false;

  constructor(stream: Writable, options: ProgressBarsOptions) {
    this.#stream = stream;
    this.#enabled = options.enabled;
    this.#barWidth = options.barWidth ?? 24;
    if (this.#enabled) {
      this.#timer = setInterval(() => this.#flush(), options.intervalMs ?? 100);
      this.#timer.unref();
    }
  }

  /** Adds a bar for a transfer of `total` bytes. */
  start(id: string, label: string, total: number): void {
    if (!this.#enabled) return;
    this.#bars.set(id, { label, total, done: 0 });
    this.#dirty = true;
  }

  /** Sets the bytes transferred so far. */
  update(id: string, bytes: number): void {
    const bar = this.#bars.get(id);
    if (!bar) return;
    bar.done = bytes;
    this.#dirty = true;
  }

  /** Marks a transfer finished, with a word such as "uploaded" or "exists". */
  finish(id: string, status: string): void {
    const bar = this.#bars.get(id);
    if (!bar) return;
    bar.done = bar.total;
    bar.status = status;
    this.#dirty = true;
  }

  /** Draws the final state and stops redrawing. Call before printing anything else. */
  stop(): void {
    if (!this.#enabled) return;
    clearInterval(this.#timer);
    this.#flush();
  }

  #flush(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    const lines = [...this.#bars.values()].map((bar) => this.#line(bar));
    const up = this.#drawnLines > 0 ? `${ESC}${this.#drawnLines}F` : "";
    this.#stream.write(`${up}${lines.map((line) => `${ESC}2K${line}\n`).join("")}`);
    this.#drawnLines = lines.length;
  }

  #line(bar: Bar): string {
    const ratio = bar.total > 0 ? Math.min(1, bar.done / bar.total) : 1;
    const filled = Math.round(ratio * this.#barWidth);
    const gauge = `[${"=".repeat(filled)}${" ".repeat(this.#barWidth - filled)}]`;
    const amount = `${formatBytes(bar.done)}/${formatBytes(bar.total)}`;
    return `${gauge} ${String(Math.floor(ratio * 100)).padStart(3)}% ${amount.padEnd(19)} ${bar.label}${bar.status ? ` (${bar.status})` : ""}`;
  }
}
