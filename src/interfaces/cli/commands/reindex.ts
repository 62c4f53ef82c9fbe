import { rebuildVectorIndex } from '../../../search/index-registry.js'
import { reembedExecutions } from '../../../search/reembed-executions.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatKeyValues, printResult } from '../output.js'

export const reindexCommand: Command = {
  name: 'reindex',
  summary: 'Rebuild the vector index from the table (--reembed: recompute every embedding first)',
  usage: '[--reembed] [--db PATH] [--json]',
  help: [
    '--reembed   recompute all embeddings with the configured embedder (ORB_LEARNING_EMBEDDER), e.g. after',
    '            switching embedders; without it only the ANN index file is rebuilt.',
    'Progress is printed on stderr.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, reembed: { type: 'boolean', default: false } },
  async run(args, io) {
    const reembed = args.values.reembed === true
    const bar = (label: string) => {
      let last = 0
      return (done: number, total: number) => {
        const now = Date.now()
        if (done < total && now - last < 500) return
        last = now
        const width = 30
        const filled = total === 0 ? width : Math.round((done / total) * width)
        io.stderr.write(`${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}\n`)
      }
    }
    const report = await withCliStore(
      args,
      io,
      async (store) => {
        const reembedded = reembed ? await reembedExecutions(store, bar('embedding')) : 0
        const built = await rebuildVectorIndex(store, bar('indexing'))
        return { reembedded, indexed: built?.rows ?? 0, embedder: store.embedder.id }
      },
      { store: { acceptEmbedderChange: reembed } },
    )
    printResult(io, args.values.json === true, report, (r) => formatKeyValues(r))
    return 0
  },
}
