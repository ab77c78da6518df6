/** `1 file`, `2 files`; `plural(1, "entry", "entries")` for the irregular ones. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
