/** How many recent sends the typical duration is taken from. */
const SAMPLES = 20;
/** Longest pad: a provider having a bad minute must not slow every refusal down as much. */
const MAX_PAD_MS = 3000;

/**
 * How long the SMS provider usually takes, so that answers that send nothing (a number without
 * an account) take as long as answers that send: otherwise the answer's timing would tell who
 * has an account. `record` each real send's duration; `pad` waits the median of the recent ones.
 */
export class SendLatency {
  private readonly durations: number[] = [];

  /** Remember one send's duration in milliseconds. */
  record(ms: number): void {
    this.durations.push(ms);
    if (this.durations.length > SAMPLES) this.durations.shift();
  }

  /** The median recent duration (0 before any send), capped at 3 s. */
  typicalMs(): number {
    if (this.durations.length === 0) return 0;
    const sorted = [...this.durations].sort((a, b) => a - b);
    return Math.min(sorted[Math.floor(sorted.length / 2)]!, MAX_PAD_MS);
  }

  /** Wait as long as a send typically takes. */
  async pad(): Promise<void> {
    const ms = this.typicalMs();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }
}
