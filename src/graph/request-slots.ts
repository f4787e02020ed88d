/** Thrown to a waiter when the slots are closed: the read it belongs to is over. */
export class SlotsClosed extends Error {
  constructor() {
    super("the read was stopped");
  }
}

interface Waiter {
  readonly priority: number;
  readonly grant: () => void;
  readonly refuse: (error: SlotsClosed) => void;
}

/**
 * At most `size` requests in flight, shared by every partition of a read;
 * a freed slot goes to the waiting partition with the most left to read.
 * Partitions cannot be made even (their counts come from the directory),
 * and with one reader per partition the largest ones were read alone at the
 * end, one page at a time; this way every partition makes progress and the
 * largest go fastest, so they all finish at about the same time.
 */
export class RequestSlots {
  private free: number;
  private readonly waiting: Waiter[] = [];
  private closed = false;

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  /** Waits for a slot; `priority`: how much the caller still has to read. */
  acquire(priority: number): Promise<void> {
    if (this.closed) return Promise.reject(new SlotsClosed());
    if (this.free > 0 && this.waiting.length === 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise((grant, refuse) => this.waiting.push({ priority, grant, refuse }));
  }

  release(): void {
    if (this.closed) return;
    let best = -1;
    for (let i = 0; i < this.waiting.length; i += 1) {
      if (best < 0 || this.waiting[i]!.priority > this.waiting[best]!.priority) best = i;
    }
    if (best < 0) {
      this.free += 1;
      return;
    }
    const [next] = this.waiting.splice(best, 1);
    next!.grant();
  }

  /** Refuses every waiter and every later request. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.refuse(new SlotsClosed());
  }
}
