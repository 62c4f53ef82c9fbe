import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js'
import type { z } from 'zod'
import type { Store } from '../../store.js'

/** What a caller must be allowed to do to use a tool: read data, write records, or run ops/destructive work. */
export type ToolScope = 'read' | 'write' | 'admin'

/** One MCP tool: a library capability with its input and output schemas and the scope it needs. */
export interface McpTool<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  readonly name: string
  readonly title: string
  /** What it does and when an agent should call it. */
  readonly description: string
  readonly scope: ToolScope
  readonly input: I
  /** Schema of the JSON result (dates as ISO strings), returned as `structuredContent`. */
  readonly output: O
  readonly annotations?: ToolAnnotations
  /** Call the capability; the result is rendered as JSON. Throw a LearningError for bad input. */
  run(store: Store, args: z.output<I>): Promise<unknown>
}

/** Declare a tool with its schemas' types checked, then erase them for the tool list. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: McpTool<I, O>): McpTool {
  return tool as unknown as McpTool
}
