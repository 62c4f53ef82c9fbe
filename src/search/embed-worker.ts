import { parentPort, workerData } from 'node:worker_threads'
import { type EmbedderSpec, embedderFromSpec } from './embedder-spec.js'

/** A request to a worker: embed these texts. */
export interface EmbedRequest {
  id: number
  texts: readonly string[]
}

/** A worker's answer: all vectors packed in one buffer, `present[i] = 0` where the text had no vector. */
export type EmbedResponse =
  | { id: number; ok: true; data: Float32Array; present: Uint8Array }
  | { id: number; ok: false; error: string }

const embedder = embedderFromSpec((workerData as { spec: EmbedderSpec }).spec)
const port = parentPort!

port.on('message', async (request: EmbedRequest) => {
  try {
    const vectors = await embedder.embed(request.texts)
    const data = new Float32Array(vectors.length * embedder.dimensions)
    const present = new Uint8Array(vectors.length)
    vectors.forEach((v, i) => {
      if (v === null) return
      data.set(v, i * embedder.dimensions)
      present[i] = 1
    })
    const response: EmbedResponse = { id: request.id, ok: true, data, present }
    port.postMessage(response, [data.buffer, present.buffer])
  } catch (error) {
    const response: EmbedResponse = { id: request.id, ok: false, error: String(error) }
    port.postMessage(response)
  }
})
