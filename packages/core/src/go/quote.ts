// Go's strconv quoting and utf8 decoding, for messages and byte strings that match Go's.

/**
 * Go's `strconv.Quote` (what `%q` prints), for error messages that must read exactly as OpenTofu's.
 * Takes a JavaScript string (its UTF-8 bytes are the Go string) or a byte string from
 * {@link toByteString}, in which each char code is one byte.
 */
export function goQuote(text: string, options: { bytes?: boolean } = {}): string {
  const bytes = options.bytes ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8");
  let out = '"';
  for (let i = 0; i < bytes.length; ) {
    const { rune, size } = decodeRune(bytes, i);
    out += size === 1 && rune === 0xfffd ? `\\x${hex2(bytes[i]!)}` : quoteRune(rune);
    i += size;
  }
  return `${out}"`;
}

/** The UTF-8 bytes of `text` as a byte string (one char per byte), the form Go code works on. */
export function toByteString(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

/** A byte string back to text; invalid UTF-8 becomes U+FFFD, one per bad byte as in Go. */
export function fromByteString(bytes: string): string {
  const buffer = Buffer.from(bytes, "latin1");
  let out = "";
  for (let i = 0; i < buffer.length; ) {
    const { rune, size } = decodeRune(buffer, i);
    out += String.fromCodePoint(rune);
    i += size;
  }
  return out;
}

/** Go's `utf8.DecodeRune`: an invalid or short sequence is U+FFFD of size 1. */
export function decodeRune(bytes: Uint8Array, at: number): { rune: number; size: number } {
  const b0 = bytes[at]!;
  if (b0 < 0x80) return { rune: b0, size: 1 };
  const need = b0 >= 0xf0 && b0 <= 0xf4 ? 4 : b0 >= 0xe0 ? (b0 <= 0xef ? 3 : 0) : b0 >= 0xc2 ? 2 : 0;
  if (need === 0 || at + need > bytes.length) return { rune: 0xfffd, size: 1 };
  let rune = b0 & (0xff >> (need + 1));
  for (let k = 1; k < need; k++) {
    const b = bytes[at + k]!;
    if ((b & 0xc0) !== 0x80) return { rune: 0xfffd, size: 1 };
    rune = (rune << 6) | (b & 0x3f);
  }
  const min = [0, 0, 0x80, 0x800, 0x10000][need]!;
  if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) return { rune: 0xfffd, size: 1 };
  return { rune, size: need };
}

const ESCAPES: Record<number, string> = {
  7: "\\a",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  11: "\\v",
  12: "\\f",
  13: "\\r",
  34: '\\"',
  92: "\\\\",
};
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function quoteRune(rune: number): string {
  const escaped = ESCAPES[rune];
  if (escaped) return escaped;
  const char = String.fromCodePoint(rune);
  if (PRINTABLE.test(char)) return char;
  if (rune < 0x80) return `\\x${hex2(rune)}`;
  return rune < 0x10000 ? `\\u${rune.toString(16).padStart(4, "0")}` : `\\U${rune.toString(16).padStart(8, "0")}`;
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
