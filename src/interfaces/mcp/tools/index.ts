import type { McpTool } from '../tool.js'
import { databaseStatusTool } from './database-status.js'
import { findSimilarTool } from './find-similar.js'
import { recommendRouteTool, submitFeedbackTool } from './learning.js'
import { backupDatabaseTool, cleanupOldExecutionsTool, validateBackupTool } from './maintenance.js'
import { databaseAlertsTool, storageStatsTool } from './ops.js'
import { dataQualityTool, poolPerformanceTool, tierPerformanceTool } from './performance.js'
import { listQueriesTool, runQueryTool } from './queries.js'
import { recordExecutionsTool, recordExecutionTool } from './record-executions.js'
import { solutionPatternsTool, suggestSolutionsTool } from './solutions.js'
import { executionStatisticsTool, performanceMetricsTool } from './statistics.js'

/** Every MCP tool, in the order `tools/list` shows them. Add a tool: one file, one line here. */
export const TOOLS: readonly McpTool[] = [
  databaseStatusTool,
  recordExecutionTool,
  recordExecutionsTool,
  executionStatisticsTool,
  performanceMetricsTool,
  listQueriesTool,
  runQueryTool,
  tierPerformanceTool,
  poolPerformanceTool,
  dataQualityTool,
  findSimilarTool,
  solutionPatternsTool,
  suggestSolutionsTool,
  recommendRouteTool,
  submitFeedbackTool,
  databaseAlertsTool,
  storageStatsTool,
  backupDatabaseTool,
  validateBackupTool,
  cleanupOldExecutionsTool,
]
