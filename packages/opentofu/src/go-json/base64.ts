const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALUE = new Map([...ALPHABET].map((char, i) => [char.charCodeAt(0), i]));
const PAD = 0x3d;

/**
 * Go's `base64.StdEncoding.Decode` (encoding/base64/base64.go, decodeQuantum), as `encoding/json`
 * uses it for `[]byte` fields: padded standard alphabet, `\r` and `\n` skipped anywhere, not
 * strict about non-zero trailing bits. Errors read `illegal base64 data at input byte N`.
 */
export function decodeGoBase64(src: Uint8Array): { bytes: Uint8Array } | { error: string } {
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const quantum = decodeQuantum(src, si);
    if ("error" in quantum) return { error: `illegal base64 data at input byte ${quantum.error}` };
    out.push(...quantum.bytes);
    if (quantum.end) break;
    si = quantum.next;
  }
  return { bytes: Uint8Array.from(out) };
}

type Quantum = { bytes: number[]; next: number; end: boolean } | { error: number };

function decodeQuantum(src: Uint8Array, start: number): Quantum {
  const buf = [0, 0, 0, 0];
  let si = start;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      if (j === 0) return { bytes: [], next: si, end: true };
      return { error: si - j };
    }
    const c = src[si++]!;
    const value = VALUE.get(c);
    if (value !== undefined) {
      buf[j] = value;
      continue;
    }
    if (c === 0x0a || c === 0x0d) {
      j--;
      continue;
    }
    if (c !== PAD || j < 2) return { error: si - 1 };
    return padding(src, si, j, buf);
  }
  return { bytes: assemble(buf, 4), next: si, end: false };
}

/** Padding reached after `j` symbols: "==" after two, "=" after three, then only newlines. */
function padding(src: Uint8Array, at: number, j: number, buf: number[]): Quantum {
  let si = at;
  if (j === 2) {
    si = skipNewlines(src, si);
    if (si === src.length) return { error: src.length };
    if (src[si] !== PAD) return { error: si - 1 };
    si++;
  }
  si = skipNewlines(src, si);
  if (si < src.length) return { error: si };
  return { bytes: assemble(buf, j), next: si, end: true };
}

function skipNewlines(src: Uint8Array, at: number): number {
  let si = at;
  while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
  return si;
}

function assemble(buf: number[], symbols: number): number[] {
  const value = (buf[0]! << 18) | (buf[1]! << 12) | (buf[2]! << 6) | buf[3]!;
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff].slice(0, symbols - 1);
}
