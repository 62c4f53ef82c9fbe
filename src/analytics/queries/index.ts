import type { QueryDefinition } from '../query-types.js'
import { BREAKDOWN_QUERIES } from './breakdowns.js'
import { DASHBOARD_QUERIES } from './dashboard.js'
import { EXTRA_QUERIES } from './extras.js'
import { RAW_QUERIES } from './raw-analyses.js'
import { REVIEW_VIEW_QUERIES } from './review-views.js'

/** Every named query, in listing order: the original dashboard's 17 first, then the rest by category. */
export const ALL_QUERIES: readonly QueryDefinition[] = [
  ...DASHBOARD_QUERIES,
  ...EXTRA_QUERIES,
  ...BREAKDOWN_QUERIES,
  ...RAW_QUERIES,
  ...REVIEW_VIEW_QUERIES,
]
