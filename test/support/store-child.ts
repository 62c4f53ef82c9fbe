// A child process for durability and lock tests: `node --import tsx store-child.ts DB MODE`.
// MODE "record": record single executions (8 in flight) forever, printing each acknowledged task_id.
// MODE "hold": open the store, print "ready", then wait until killed.
import { recordExecution } from '../../src/ingest/record-executions.js'
import { openStore } from '../../src/store.js'
import { execution } from './executions.js'

const [path, mode] = process.argv.slice(2)
const store = await openStore({ path: path! })
if (mode === 'hold') {
  process.stdout.write('ready\n')
  setInterval(() => undefined, 60_000)
} else {
  const worker = async () => {
    for (;;) {
      const result = await recordExecution(store, execution())
      process.stdout.write(`${result.task_ids[0]}\n`)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
}
