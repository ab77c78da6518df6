import { AsyncLocalStorage } from "node:async_hooks";
import { TofuOciError } from "./errors.js";

/** How long and how often one operation may retry (see {@link RetryBudget}). */
export interface RetryBudgetOptions {
  /** Failed attempts allowed after the last progress, over every layer that retries. Default 4. */
  retries?: number;
  /** No retry starts later than this after the first failure since the last progress. Default 180 000 ms. */
  deadlineMs?: number;
  /** The clock. Default `Date.now`. */
  now?: () => number;
}

/**
 * One operation's allowance of retries and its retry deadline, shared by every layer that
 * retries inside it (the copy engine, the upload, a resumed download, the HTTP decorator): a
 * stalled registry then costs at most `retries` attempts, not the product of each layer's
 * retries. Progress (a request that sent or received content) gives the allowance back, so a
 * long transfer with rare failures is not cut short.
 */
export class RetryBudget {
  /** Failed attempts allowed after the last progress. */
  readonly retries: number;
  /** Milliseconds after the first failure since the last progress after which no retry starts. */
  readonly deadlineMs: number;
  readonly #now: () => number;
  #failures = 0;
  #firstFailure: number | undefined;
  #lastReason = "";

  constructor(options: RetryBudgetOptions = {}) {
    this.retries = options.retries ?? 4;
    this.deadlineMs = options.deadlineMs ?? 180_000;
    this.#now = options.now ?? Date.now;
  }

  /** Records a failed attempt; true when another attempt may follow. */
  spend(reason: string): boolean {
    this.#failures++;
    this.#firstFailure ??= this.#now();
    this.#lastReason = reason;
    return !this.exhausted;
  }

  /**
   * Records a request the registry throttled (HTTP 429): the registry is there and asks to slow
   * down, so this costs no attempt, only time: the deadline still bounds it. Many concurrent
   * requests throttled at once (a copy of several tags) would otherwise spend the allowance
   * in an instant. True when another attempt may follow.
   */
  throttled(reason: string): boolean {
    this.#firstFailure ??= this.#now();
    this.#lastReason = reason;
    return !this.exhausted;
  }

  /** Content moved: the allowance and the deadline start afresh. */
  progress(): void {
    this.#failures = 0;
    this.#firstFailure = undefined;
  }

  /** True once more attempts failed than allowed, or the deadline passed while failing. */
  get exhausted(): boolean {
    if (this.#firstFailure === undefined) return false;
    return this.#failures > this.retries || this.#now() - this.#firstFailure > this.deadlineMs;
  }

  /** The error for an attempt refused because the operation has given up (exit 5). */
  exhaustedError(): TofuOciError {
    const seconds = Math.round((this.#now() - (this.#firstFailure ?? this.#now())) / 1000);
    return new TofuOciError(
      "network",
      `giving up after ${this.#failures} failed attempts in ${seconds} s (last: ${this.#lastReason})`,
      {
        hint: "The registry is unreachable or stalled; check it and run again. Config keys retries, retryDeadlineMs and idleTimeoutMs tune this.",
      },
    );
  }
}

interface Scope {
  budget?: RetryBudget;
}

const scopes = new AsyncLocalStorage<Scope>();

/**
 * Runs `work` as one operation: every request made inside it (however deep: uploads, resumed
 * downloads) shares one {@link RetryBudget}, made on first use by the HTTP layer with its options.
 */
export function withRetryScope<T>(work: () => Promise<T>): Promise<T> {
  return scopes.run({}, work);
}

/** The current operation's budget (made now with `options` if it has none yet), or a fresh one outside any operation. */
export function operationBudget(options: RetryBudgetOptions): RetryBudget {
  const scope = scopes.getStore();
  if (!scope) return new RetryBudget(options);
  scope.budget ??= new RetryBudget(options);
  return scope.budget;
}

/** The current operation's budget, if a request inside it made one. */
export function currentBudget(): RetryBudget | undefined {
  return scopes.getStore()?.budget;
}
