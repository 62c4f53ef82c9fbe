// The fixed vocabulary of the synthetic demo dataset: task types, repos, tiers, pools, errors.

/** One kind of task the demo orchestrator runs, with its typical difficulty and wording. */
export interface DemoTaskType {
  readonly name: string
  /** Mean complexity score (0-100). */
  readonly complexity: number
  /** Verbs and objects combined into task descriptions. */
  readonly verbs: readonly string[]
  readonly goals: readonly string[]
  /** Solutions reused across tasks, so that solution patterns emerge. */
  readonly solutions: readonly string[]
}

/** The task types of the demo dataset (at least six). */
export const DEMO_TASK_TYPES: readonly DemoTaskType[] = [
  {
    name: 'documentation',
    complexity: 18,
    verbs: ['Document', 'Write the README section for', 'Add API docs for', 'Explain'],
    goals: ['with usage examples', 'for new contributors', 'including error codes', 'with a quick start'],
    solutions: [
      'Generated reference docs from JSDoc and added examples',
      'Wrote a task-oriented guide with copy-paste snippets',
      'Added a troubleshooting table for common errors',
    ],
  },
  {
    name: 'test_generation',
    complexity: 35,
    verbs: [
      'Write unit tests for',
      'Add property tests to',
      'Cover edge cases of',
      'Add integration tests for',
    ],
    goals: ['to reach 90% branch coverage', 'including failure paths', 'with real fixtures', 'without mocks'],
    solutions: [
      'Added table-driven tests for boundary values',
      'Introduced property-based tests with shrinking',
      'Replaced mocks with a temporary database fixture',
    ],
  },
  {
    name: 'bug_fix',
    complexity: 45,
    verbs: ['Fix the crash in', 'Fix the race condition in', 'Fix wrong totals in', 'Fix the memory leak in'],
    goals: ['reported by users', 'under concurrent load', 'after the last release', 'on large inputs'],
    solutions: [
      'Guarded the shared state with a mutex and added a regression test',
      'Fixed an off-by-one error in the pagination cursor',
      'Released the buffer after each batch to stop the leak',
      'Validated the input before parsing to avoid the null dereference',
    ],
  },
  {
    name: 'code_review',
    complexity: 40,
    verbs: ['Review the pull request for', 'Review error handling in', 'Review the API design of'],
    goals: ['before merge', 'for security issues', 'for performance regressions', 'for readability'],
    solutions: [
      'Flagged unchecked errors and suggested typed results',
      'Requested smaller functions and clearer names',
      'Pointed out an N+1 query and proposed a join',
    ],
  },
  {
    name: 'refactor',
    complexity: 55,
    verbs: ['Refactor', 'Split', 'Simplify', 'Extract an interface from'],
    goals: [
      'into smaller modules',
      'to remove duplication',
      'to make it testable',
      'to drop the global state',
    ],
    solutions: [
      'Extracted pure functions and injected the I/O at the edges',
      'Split the god class into three cohesive modules',
      'Replaced inheritance with composition',
    ],
  },
  {
    name: 'feature',
    complexity: 62,
    verbs: ['Implement', 'Add support for', 'Build', 'Add an endpoint for'],
    goals: ['behind a feature flag', 'with pagination', 'with rate limiting', 'with audit logging'],
    solutions: [
      'Implemented the endpoint with input validation and pagination',
      'Added the feature behind a flag with a migration',
      'Built the UI component and wired it to the API',
    ],
  },
  {
    name: 'optimization',
    complexity: 68,
    verbs: ['Optimise', 'Speed up', 'Reduce the memory use of', 'Cache the results of'],
    goals: ['by 2x', 'for 1M rows', 'under p99 100 ms', 'without changing the API'],
    solutions: [
      'Batched the writes into one transaction',
      'Added an LRU cache in front of the slow lookup',
      'Replaced the quadratic loop with a hash join',
    ],
  },
  {
    name: 'security_audit',
    complexity: 75,
    verbs: ['Audit', 'Harden', 'Check for injection in', 'Review authentication of'],
    goals: ['against OWASP top 10', 'for secrets in logs', 'for SQL injection', 'before the release'],
    solutions: [
      'Moved every query to bound parameters',
      'Removed secrets from logs and rotated the keys',
      'Added CSRF protection and stricter CORS rules',
    ],
  },
]

/** The components named in task descriptions. */
export const DEMO_COMPONENTS: readonly string[] = [
  'the JSON parser',
  'the session cache',
  'the billing service',
  'the login flow',
  'the search index',
  'the job scheduler',
  'the CSV exporter',
  'the websocket gateway',
  'the retry policy',
  'the config loader',
  'the metrics collector',
  'the database migrations',
]

/** The ten repositories, with how much harder than average their tasks are (success penalty). */
export const DEMO_REPOS: readonly { name: string; difficulty: number }[] = [
  { name: 'orb/api', difficulty: 0.02 },
  { name: 'orb/web', difficulty: 0 },
  { name: 'orb/cli', difficulty: -0.03 },
  { name: 'orb/infra', difficulty: 0.06 },
  { name: 'orb/docs', difficulty: -0.05 },
  { name: 'orb/ml-pipeline', difficulty: 0.08 },
  { name: 'orb/auth', difficulty: 0.04 },
  { name: 'orb/billing', difficulty: 0.03 },
  { name: 'orb/mobile', difficulty: 0.01 },
  { name: 'orb/sdk', difficulty: -0.02 },
]

/** Model tiers: speed, price and skill. */
export const DEMO_TIERS = {
  small: { baseSeconds: 4, dollarsPer1k: 0.0005, skill: 0.55, quality: 62, memoryMb: 180 },
  medium: { baseSeconds: 11, dollarsPer1k: 0.003, skill: 0.32, quality: 74, memoryMb: 420 },
  large: { baseSeconds: 28, dollarsPer1k: 0.015, skill: 0.14, quality: 86, memoryMb: 900 },
} as const

/** Name of a model tier. */
export type DemoTier = keyof typeof DEMO_TIERS

/** Worker pools: overhead in seconds and a reliability penalty. */
export const DEMO_POOLS = {
  mahavishnu: { overheadSeconds: 0.5, penalty: 0 },
  'session-buddy': { overheadSeconds: 1.5, penalty: 0.02 },
  kubernetes: { overheadSeconds: 6, penalty: -0.01 },
} as const

/** Name of a worker pool. */
export type DemoPool = keyof typeof DEMO_POOLS

/** Swarm topologies (null is also used). */
export const DEMO_TOPOLOGIES: readonly string[] = ['mesh', 'hierarchical', 'star', 'flat']

/** Failure kinds with the messages the demo writes for them. */
export const DEMO_ERRORS: readonly { type: string; messages: readonly string[] }[] = [
  { type: 'timeout', messages: ['Task timed out after 300 s', 'Model call timed out waiting for tokens'] },
  {
    type: 'quality_gate',
    messages: ['Tests failed: 3 of 42', 'Lint failed with 12 errors', 'Type check failed in 2 files'],
  },
  { type: 'validation', messages: ['Generated patch does not apply', 'Output did not match the schema'] },
  {
    type: 'crash',
    messages: ['Worker exited with signal 9 (out of memory)', 'Segmentation fault in sandbox'],
  },
  { type: 'rate_limit', messages: ['429 Too Many Requests from the model API'] },
  { type: 'network_error', messages: ['ECONNRESET while streaming the response', 'DNS lookup failed'] },
]

/** Agents named in the demo metadata. */
export const DEMO_AGENTS: readonly string[] = ['coder', 'reviewer', 'tester', 'architect', 'writer']
