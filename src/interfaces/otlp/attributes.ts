import type { AnyValue, KeyValue } from './otlp-json.js'

/** A decoded attribute value. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue }

/** Decode an OTLP AnyValue into plain JSON (int64 strings become numbers). */
export function decodeValue(value: AnyValue | undefined): AttributeValue {
  if (value === undefined) return null
  if (value.stringValue !== undefined) return value.stringValue
  if (value.boolValue !== undefined) return value.boolValue
  if (value.intValue !== undefined) return Number(value.intValue)
  if (value.doubleValue !== undefined) return Number(value.doubleValue)
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decodeValue)
  if (value.kvlistValue !== undefined) return Object.fromEntries(decodeAttributes(value.kvlistValue.values))
  if (value.bytesValue !== undefined) return value.bytesValue
  return null
}

/** Decode an attribute list into a map (the last of duplicated keys wins). */
export function decodeAttributes(list: readonly KeyValue[] | undefined): Map<string, AttributeValue> {
  const map = new Map<string, AttributeValue>()
  for (const kv of list ?? []) map.set(kv.key, decodeValue(kv.value))
  return map
}
