import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LearningError } from '../src/errors.js'
import { GroupCommitQueue } from '../src/ingest/group-commit-queue.js'

/** A promise with its resolve function, to hold a stage until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('GroupCommitQueue', () => {
  it('should merge callers that arrive during a write into the next batch', async () => {
    const batches: number[][] = []
    const first = gate()
    const queue = new GroupCommitQueue<number, string>(
      async (items) => {
        batches.push(items)
        if (batches.length === 1) await first.promise
        return items.map((i) => `ok ${i}`)
      },
      { maxQueued: 100, maxBatch: 100 },
    )
    const results = [queue.enqueue([1])]
    await tick()
    for (let i = 2; i <= 5; i++) results.push(queue.enqueue([i]))
    first.open()
    assert.deepEqual(await Promise.all(results), [['ok 1'], ['ok 2'], ['ok 3'], ['ok 4'], ['ok 5']])
    assert.deepEqual(batches, [[1], [2, 3, 4, 5]])
  })

  it('should hold a caller while the queue is full and let it in when there is room', async () => {
    const writing = gate()
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        await writing.promise
        return items
      },
      { maxQueued: 10, maxBatch: 10 },
    )
    const first = queue.enqueue([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    let secondDone = false
    const second = queue.enqueue([11, 12]).then((r) => {
      secondDone = true
      return r
    })
    await tick()
    assert.equal(queue.depth, 10, 'the waiting caller is not counted until admitted')
    assert.equal(secondDone, false)
    writing.open()
    assert.deepEqual(await first, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert.deepEqual(await second, [11, 12])
    assert.equal(queue.depth, 0)
  })

  it("should refuse with 'unavailable' when full in reject mode", async () => {
    const writing = gate()
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        await writing.promise
        return items
      },
      { maxQueued: 3, maxBatch: 3 },
    )
    const first = queue.enqueue([1, 2, 3])
    await assert.rejects(queue.enqueue([4], 'reject'), (error: unknown) => {
      assert.ok(error instanceof LearningError)
      assert.equal(error.code, 'unavailable')
      assert.match(error.message, /write queue is full \(3 records waiting, limit 3\); retry later/)
      return true
    })
    writing.open()
    assert.deepEqual(await first, [1, 2, 3])
  })

  it('should write everything queued before close() resolves, and refuse writes after it', async () => {
    const written: number[] = []
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        await tick()
        written.push(...items)
        return items
      },
      { maxQueued: 1000, maxBatch: 7 },
    )
    const pending = Array.from({ length: 50 }, (_, i) => queue.enqueue([i]))
    await queue.close()
    assert.equal(written.length, 50)
    assert.deepEqual((await Promise.all(pending)).flat(), [...Array(50).keys()])
    await assert.rejects(queue.enqueue([99]), /closing/)
  })

  it('should prepare the next batch while the previous one is written', async () => {
    const events: string[] = []
    const firstWrite = gate()
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        events.push(`write ${items.join(',')}`)
        if (items[0] === 1) await firstWrite.promise
        events.push(`committed ${items.join(',')}`)
        return items
      },
      {
        maxQueued: 100,
        maxBatch: 100,
        prepare: async (items) => {
          events.push(`prepare ${items.join(',')}`)
        },
      },
    )
    const a = queue.enqueue([1])
    await tick()
    const b = queue.enqueue([2, 3])
    await tick()
    assert.deepEqual(events, ['prepare 1', 'write 1', 'prepare 2,3'])
    firstWrite.open()
    await Promise.all([a, b])
    assert.deepEqual(events, [
      'prepare 1',
      'write 1',
      'prepare 2,3',
      'committed 1',
      'write 2,3',
      'committed 2,3',
    ])
  })

  it('should fail only the callers of a batch whose preparation failed', async () => {
    const queue = new GroupCommitQueue<number, number>(async (items) => items, {
      maxQueued: 100,
      maxBatch: 1,
      prepare: async (items) => {
        if (items.includes(2)) throw new Error('embedder down')
      },
    })
    const results = await Promise.allSettled([queue.enqueue([1]), queue.enqueue([2]), queue.enqueue([3])])
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    )
    assert.equal(queue.depth, 0)
  })
})
