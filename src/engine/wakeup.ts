/**
 * A one-slot wake-up signal for a loop that sleeps between rounds: `wait(ms)` resolves after
 * `ms` or as soon as `wake()` is called; a wake-up that arrives while the loop is busy is kept
 * for its next wait, so a NOTIFY is never lost between two rounds.
 */
export class Wakeup {
  private waiter: (() => void) | null = null;
  private pending = false;

  wake(): void {
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter();
    } else {
      this.pending = true;
    }
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiter = done;
    });
  }
}
