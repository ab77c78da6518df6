import type { CheckResult } from "@tofu-oci/core";
import type { CheckId } from "./rules.js";

/** One entry of a verification record's `checks`. */
export interface Check extends CheckResult {
  /** The check's stable name; `RULES` gives the OpenTofu rule and source behind each. */
  id: CheckId;
  /** The provider platform (`os_arch`) a provider check is about. */
  platform?: string;
  /**
   * Something OpenTofu accepts but that will likely surprise you (the check still passes, as
   * `tofu init` would), e.g. a module directory with no configuration files.
   */
  warning?: string;
}

/** Where a failed check stops a chain of checks: OpenTofu stops at its first error too. */
export class CheckFailed extends Error {
  override readonly name = "CheckFailed";
}

/** Collects the checks of one verification, in the order they ran. */
export class Checks {
  readonly list: Check[] = [];
  readonly #platform: string | undefined;

  constructor(platform?: string, list?: Check[]) {
    this.#platform = platform;
    if (list) this.list = list;
  }

  /** The same list, with checks labelled with one provider platform. */
  forPlatform(platform: string): Checks {
    return new Checks(platform, this.list);
  }

  get ok(): boolean {
    return this.list.every((check) => check.ok);
  }

  pass(id: CheckId, message: string, warning?: string): void {
    this.#add({ id, ok: true, message, ...(warning ? { warning } : {}) });
  }

  /** Records a failed check and stops the current chain by throwing {@link CheckFailed}. */
  fail(id: CheckId, message: string): never {
    this.#add({ id, ok: false, message });
    throw new CheckFailed(message);
  }

  /** Records a check that passes when `failure` is undefined. */
  expect(id: CheckId, failure: string | undefined, message: string): void {
    if (failure !== undefined) this.fail(id, failure);
    this.pass(id, message);
  }

  #add(check: Check): void {
    this.list.push(this.#platform ? { ...check, platform: this.#platform } : check);
  }
}

/** Runs a chain of checks; a {@link CheckFailed} ends it quietly, anything else propagates. */
export async function runChain(chain: () => Promise<void>): Promise<void> {
  try {
    await chain();
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
  }
}
