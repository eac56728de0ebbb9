// The stream steps waiting for an element (the header, features, a STARTTLS answer): each times out on its own.
import { TimeoutError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";

interface Waiter {
  match(el: Element): boolean;
  resolve(el: Element): void;
  reject(err: Error): void;
}

/** Promises for elements still to come: the first waiter that wants an element gets it. */
export class Waiters {
  readonly #all = new Set<Waiter>();

  /** Resolve with the first element `match` accepts; reject with `TimeoutError` after `timeout` ms. */
  wait(match: (el: Element) => boolean, what: string, timeout: number): Promise<Element> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => waiter.reject(new TimeoutError(`Waiting for ${what}`, timeout)), timeout);
      const done = () => {
        clearTimeout(timer);
        this.#all.delete(waiter);
      };
      const waiter: Waiter = {
        match,
        resolve: (el) => (done(), resolve(el)),
        reject: (err) => (done(), reject(err)),
      };
      this.#all.add(waiter);
    });
  }

  /** Hand `el` to the first waiter that wants it; false when none does. */
  offer(el: Element): boolean {
    const waiter = [...this.#all].find((w) => w.match(el));
    waiter?.resolve(el);
    return waiter !== undefined;
  }

  /** Fail every waiter with `err`. */
  rejectAll(err: Error): void {
    for (const waiter of [...this.#all]) waiter.reject(err);
  }
}
