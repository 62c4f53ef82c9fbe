/** The stable integer surrogate of a task_id in the vector index: the UUID's first 64 bits. */
export function vectorKey(taskId: string): bigint {
  return BigInt(`0x${taskId.slice(0, 8)}${taskId.slice(9, 13)}${taskId.slice(14, 18)}`)
}
