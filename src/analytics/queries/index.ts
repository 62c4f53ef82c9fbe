import type { QueryDefinition } from '../query-types.js'
import { DASHBOARD_QUERIES } from './dashboard.js'

/** Every named query, in listing order: the original dashboard's 17 first, then the rest by category. */
export const ALL_QUERIES: readonly QueryDefinition[] = [...DASHBOARD_QUERIES]
