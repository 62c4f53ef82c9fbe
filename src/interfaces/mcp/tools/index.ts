import type { McpTool } from '../tool.js'
import { databaseStatusTool } from './database-status.js'
import { findSimilarTool } from './find-similar.js'
import { databaseAlertsTool, storageStatsTool } from './ops.js'
import { listQueriesTool, runQueryTool } from './queries.js'
import { recordExecutionsTool, recordExecutionTool } from './record-executions.js'

/** Every MCP tool, in the order `tools/list` shows them. Add a tool: one file, one line here. */
export const TOOLS: readonly McpTool[] = [
  databaseStatusTool,
  recordExecutionTool,
  recordExecutionsTool,
  listQueriesTool,
  runQueryTool,
  findSimilarTool,
  databaseAlertsTool,
  storageStatsTool,
]
