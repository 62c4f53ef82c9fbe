/** Tokens and cost of one model-call span (chat, text_completion, generate_content, embeddings). */
export interface ModelCall {
  model: string | undefined
  inputTokens: number
  outputTokens: number
  /** Cost the span carried itself (orb.cost.actual or gen_ai.usage.cost), if any. */
  cost: number | undefined
  errorType: string | undefined
}

interface Entry {
  parent: string | undefined
  task: boolean
  call: ModelCall | undefined
  at: number
}

/** Bounds of a span buffer. */
export interface SpanBufferOptions {
  /** Most spans kept. Default 50,000. */
  maxSpans?: number
  /** How long a span waits for its task span, in ms. Default 10 minutes. */
  ttlMs?: number
}

/**
 * Spans seen so far, by `traceId:spanId`, so that a task span sums the model calls below it even when they
 * were exported in an earlier request (children end, and are exported, before their parent). Bounded in
 * size and age; the oldest spans are dropped first.
 */
export class SpanBuffer {
  readonly #entries = new Map<string, Entry>()
  readonly #children = new Map<string, Set<string>>()
  readonly #maxSpans: number
  readonly #ttlMs: number

  constructor(options: SpanBufferOptions = {}) {
    this.#maxSpans = options.maxSpans ?? 50_000
    this.#ttlMs = options.ttlMs ?? 600_000
  }

  /** Spans held. */
  get size(): number {
    return this.#entries.size
  }

  /** Remember a span: a task span (a boundary for the sums) or a span that may carry a model call. */
  add(
    key: string,
    parent: string | undefined,
    task: boolean,
    call: ModelCall | undefined,
    now = Date.now(),
  ): void {
    this.#delete(key)
    this.#entries.set(key, { parent, task, call, at: now })
    if (parent !== undefined) {
      const set = this.#children.get(parent) ?? new Set<string>()
      set.add(key)
      this.#children.set(parent, set)
    }
    this.#prune(now)
  }

  /** Remove and return the model calls below `key`, not descending into nested task spans. */
  takeModelCalls(key: string): ModelCall[] {
    const calls: ModelCall[] = []
    const stack = [...(this.#children.get(key) ?? [])]
    while (stack.length > 0) {
      const child = stack.pop()!
      const entry = this.#entries.get(child)
      if (!entry || entry.task) continue
      if (entry.call) calls.push(entry.call)
      stack.push(...(this.#children.get(child) ?? []))
      this.#delete(child)
    }
    return calls
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxSpans && entry.at >= now - this.#ttlMs) break
      this.#delete(key)
    }
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    if (entry.parent !== undefined) {
      const set = this.#children.get(entry.parent)
      set?.delete(key)
      if (set?.size === 0) this.#children.delete(entry.parent)
    }
  }
}
