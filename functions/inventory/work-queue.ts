/**
 * Runs tasks at most `concurrency` at a time. Tasks may add tasks; `first` puts them at the head of the queue, so
 * an account's regions run before the next account starts and progress comes account by account.
 */
export class WorkQueue {
  private readonly waiting: Array<() => Promise<void>> = [];
  private running = 0;
  private idle: Array<() => void> = [];
  private failure: unknown;

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`concurrency must be a whole number >= 1, got ${concurrency}`);
  }

  add(task: () => Promise<void>, options: { first?: boolean } = {}): void {
    if (options.first) this.waiting.unshift(task);
    else this.waiting.push(task);
    this.pump();
  }

  /** Resolves when every task (including tasks added meanwhile) is done; rejects with the first task that threw. */
  drained(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0)
      return this.failure ? Promise.reject(this.failure) : Promise.resolve();
    return new Promise((resolve, reject) => this.idle.push(() => (this.failure ? reject(this.failure) : resolve())));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const task = this.waiting.shift() as () => Promise<void>;
      this.running += 1;
      task()
        .catch((error: unknown) => {
          this.failure ??= error;
        })
        .finally(() => {
          this.running -= 1;
          this.pump();
          if (this.running === 0 && this.waiting.length === 0) {
            const idle = this.idle;
            this.idle = [];
            for (const notify of idle) notify();
          }
        });
    }
  }
}
