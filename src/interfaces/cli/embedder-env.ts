import type { EmbedderName, Options } from '../../config.js'
import { invalidInput } from '../../errors.js'

const NAMES: readonly EmbedderName[] = ['builtin', 'hash', 'minilm', 'http']

/**
 * Embedder options from the environment: ORB_LEARNING_EMBEDDER (builtin|hash|minilm|http),
 * ORB_LEARNING_MODEL_DIR, ORB_LEARNING_EMBEDDER_URL, _MODEL, _API (openai|ollama), _API_KEY.
 */
export function embedderOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<Options> {
  const out: Partial<Options> = {}
  const name = env.ORB_LEARNING_EMBEDDER
  if (name !== undefined && name !== '') {
    if (!NAMES.includes(name as EmbedderName))
      throw invalidInput(
        `ORB_LEARNING_EMBEDDER must be one of ${NAMES.join(', ')}, got ${JSON.stringify(name)}`,
      )
    out.embedder = name as EmbedderName
  }
  if (env.ORB_LEARNING_MODEL_DIR) out.modelDir = env.ORB_LEARNING_MODEL_DIR
  if (env.ORB_LEARNING_EMBEDDER_URL) out.embedderUrl = env.ORB_LEARNING_EMBEDDER_URL
  if (env.ORB_LEARNING_EMBEDDER_MODEL) out.embedderModel = env.ORB_LEARNING_EMBEDDER_MODEL
  if (env.ORB_LEARNING_EMBEDDER_API_KEY) out.embedderApiKey = env.ORB_LEARNING_EMBEDDER_API_KEY
  const api = env.ORB_LEARNING_EMBEDDER_API
  if (api) {
    if (api !== 'openai' && api !== 'ollama')
      throw invalidInput(`ORB_LEARNING_EMBEDDER_API must be openai or ollama, got ${JSON.stringify(api)}`)
    out.embedderApi = api
  }
  return out
}
