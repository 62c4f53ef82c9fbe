import type { Command } from '../command.js'
import { alertsCommand } from './alerts.js'
import { archiveCommand } from './archive.js'
import { backupCommand } from './backup.js'
import { backupsCommand } from './backups.js'
import { calibrateCostCommand } from './calibrate-cost.js'
import { demoCommand } from './demo.js'
import { evaluateCommand } from './evaluate.js'
import { exportCommand } from './export.js'
import { feedbackCommand } from './feedback.js'
import { importCommand } from './import.js'
import { importLegacyCommand } from './import-legacy.js'
import { initCommand } from './init.js'
import { mcpCommand } from './mcp.js'
import { qualityCommand } from './quality.js'
import { queriesCommand } from './queries.js'
import { queryCommand } from './query.js'
import { recommendCommand } from './recommend.js'
import { recordCommand } from './record.js'
import { reindexCommand } from './reindex.js'
import { restoreCommand } from './restore.js'
import { retentionCommand } from './retention.js'
import { searchCommand } from './search.js'
import { serveCommand } from './serve.js'
import { solutionsCommand } from './solutions.js'
import { statusCommand } from './status.js'
import { storageCommand } from './storage.js'
import { suggestCommand } from './suggest.js'
import { tuneThresholdsCommand } from './tune-thresholds.js'
import { validateBackupCommand } from './validate-backup.js'

/** Every CLI command, in the order `--help` lists them. Add a command: one file, one line here. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  statusCommand,
  demoCommand,
  recordCommand,
  importCommand,
  exportCommand,
  importLegacyCommand,
  mcpCommand,
  serveCommand,
  retentionCommand,
  archiveCommand,
  backupCommand,
  validateBackupCommand,
  restoreCommand,
  backupsCommand,
  storageCommand,
  alertsCommand,
  queryCommand,
  queriesCommand,
  qualityCommand,
  recommendCommand,
  evaluateCommand,
  tuneThresholdsCommand,
  calibrateCostCommand,
  feedbackCommand,
  searchCommand,
  solutionsCommand,
  suggestCommand,
  reindexCommand,
]
