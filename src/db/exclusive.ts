/** A FIFO async mutex: one holder at a time, in arrival order. */
export class Exclusive {
  #tail: Promise<void> = Promise.resolve()

  /** Run `fn` once every earlier holder has finished. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn)
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }
}
