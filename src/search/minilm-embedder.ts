import { existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { errorMessage, LearningError } from '../errors.js'
import { EMBEDDING_DIMENSIONS } from './dimensions.js'
import type { Embedder } from './embedder.js'

/** Files a local all-MiniLM-L6-v2 directory must hold (the transformers.js layout). */
export const MINILM_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/model.onnx',
] as const
const PACKAGE = '@huggingface/transformers'
const INSTALL_HINT = `ONNXRUNTIME_NODE_INSTALL=skip npm i ${PACKAGE}`

/**
 * Mean-pool token vectors over the attention mask and L2-normalise: the sentence-transformers recipe
 * of all-MiniLM-L6-v2. `hidden` is row-major [batch, tokens, dims].
 */
export function meanPoolNormalize(
  hidden: Float32Array,
  mask: ArrayLike<number | bigint>,
  shape: readonly [number, number, number],
): Float32Array[] {
  const [batch, tokens, dims] = shape
  const out: Float32Array[] = []
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dims)
    let kept = 0
    for (let t = 0; t < tokens; t++) {
      if (Number(mask[b * tokens + t]) === 0) continue
      kept++
      const base = (b * tokens + t) * dims
      for (let d = 0; d < dims; d++) v[d] = v[d]! + hidden[base + d]!
    }
    let norm = 0
    for (let d = 0; d < dims; d++) {
      v[d] = v[d]! / Math.max(kept, 1)
      norm += v[d]! * v[d]!
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
    for (let d = 0; d < dims; d++) v[d] = v[d]! * scale
    out.push(v)
  }
  return out
}

/** Say which required files a model directory lacks (empty when complete). */
export function missingModelFiles(modelDir: string): string[] {
  return MINILM_FILES.filter((f) => !existsSync(join(modelDir, f)))
}

interface Tensor {
  data: Float32Array | BigInt64Array
  dims: number[]
}
type Tokenizer = (texts: string[], o: object) => { input_ids: Tensor; attention_mask: Tensor }
type Model = (inputs: object) => Promise<{ last_hidden_state: Tensor }>

/**
 * all-MiniLM-L6-v2 through transformers.js from a local directory only (`modelDir`): never a hub
 * download. Refuses clearly when the directory, its files or the optional package are missing.
 */
export async function createMiniLmEmbedder(modelDir: string | undefined): Promise<Embedder> {
  if (!modelDir)
    throw new LearningError(
      'unavailable',
      `embedder 'minilm' needs modelDir (env ORB_LEARNING_MODEL_DIR): a directory with all-MiniLM-L6-v2 in the transformers.js layout (${MINILM_FILES.join(', ')})`,
    )
  const missing = missingModelFiles(modelDir)
  if (missing.length > 0)
    throw new LearningError(
      'unavailable',
      `embedder 'minilm': ${modelDir} lacks ${missing.join(', ')}; copy all-MiniLM-L6-v2 (transformers.js layout: ${MINILM_FILES.join(', ')}) there`,
    )
  let lib: {
    env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string }
    AutoTokenizer: { from_pretrained(name: string): Promise<Tokenizer> }
    AutoModel: { from_pretrained(name: string, o: object): Promise<Model> }
  }
  try {
    const name: string = PACKAGE
    lib = await import(name)
  } catch (error) {
    throw new LearningError(
      'unavailable',
      `embedder 'minilm' needs the optional package ${PACKAGE}: install it with '${INSTALL_HINT}' (${errorMessage(error)})`,
      { cause: error },
    )
  }
  lib.env.allowRemoteModels = false
  lib.env.allowLocalModels = true
  lib.env.localModelPath = dirname(modelDir)
  const name = basename(modelDir)
  const tokenizer = await lib.AutoTokenizer.from_pretrained(name)
  const model = await lib.AutoModel.from_pretrained(name, { dtype: 'fp32' })
  return {
    id: 'minilm-l6-v2',
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts) {
      const out: (Float32Array | null)[] = texts.map(() => null)
      const wanted = texts.flatMap((t, i) => (t.trim().length > 0 ? [i] : []))
      for (let start = 0; start < wanted.length; start += 32) {
        const batch = wanted.slice(start, start + 32)
        const inputs = tokenizer(
          batch.map((i) => texts[i]!),
          { padding: true, truncation: true },
        )
        const { last_hidden_state: hidden } = await model(inputs)
        const [b, t, d] = hidden.dims as [number, number, number]
        const pooled = meanPoolNormalize(hidden.data as Float32Array, inputs.attention_mask.data, [b, t, d])
        batch.forEach((index, j) => {
          out[index] = pooled[j]!
        })
      }
      return out
    },
  }
}
