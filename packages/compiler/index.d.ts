// Types of @nest-lang/compiler. Every function is synchronous once the module is imported
// (the WebAssembly module is instantiated by the import itself).

/** A position: 1-based line and column (in characters) of a span's start and end. */
export interface Position {
  file: string | null;
  line: number | null;
  col: number | null;
  end_line: number | null;
  end_col: number | null;
}

/** One labelled span of a diagnostic. */
export interface Label extends Position {
  message: string;
  primary: boolean;
}

/** A diagnostic, as `nestc check --json` prints it; the position is the primary label's. */
export interface Diagnostic extends Position {
  severity: 'error' | 'warning';
  /** `E0302`, `W0401`, …: `explain(code)` says more. */
  code: string;
  message: string;
  labels: Label[];
  notes: string[];
  /** A suggestion, if any. */
  help: string | null;
}

/** `{NAME: VALUE}` or `[[NAME, VALUE], …]`; values are written as in source (`"2500 USDC"`). */
export type Params = Record<string, string | number> | Array<[string, string | number]>;

export interface CompileOptions {
  /** The script's name in diagnostics and the source map; imports resolve against it. Default `main.ns`. */
  name?: string;
  /** `--param NAME=VALUE` values. */
  params?: Params;
  /** `false` or `0`: `-O0` (only the mandatory revocation pass). Default: optimise. */
  optimize?: boolean | 0 | 1;
  /** Optimisations turned off by name (`--disable NAME`). */
  disable?: string[];
  /** `--strict`: calls the compiler cannot vouch for (W0401) are errors. */
  strict?: boolean;
  /** Imported files (`use "./lib.ns"`, `abi("./x.json")`): path → text. */
  files?: Record<string, string>;
}

export interface RunOptions extends CompileOptions {
  /** The devnet's starting state: the text of a scenario TOML file. */
  scenario?: string;
  /** The HyVM build gas is charged for: `paris` (default) or `shanghai`. */
  hyvmBuild?: 'paris' | 'shanghai';
}

/** The artifact, as `nestc compile --emit artifact` prints it. */
export interface Artifact {
  bytecode: string;
  fingerprint: string;
  code_size: number;
  return_types: string[];
  [field: string]: unknown;
}

export interface CompileResult {
  ok: boolean;
  /** The payload, `0x…` hex (`nestc compile`'s output without the newline). */
  bytecode: string | null;
  artifact: Artifact | null;
  /** The exact text of `nestc compile --emit artifact`. */
  artifactJson: string | null;
  /** The exact text of `nestc compile --emit asm`: instructions with HyVM costs and source lines. */
  asm: string | null;
  /** Errors (when not ok) or warnings. */
  diagnostics: Diagnostic[];
  /** The diagnostics as the JSON document `nestc … --json` prints. */
  diagnosticsJson: string;
}

export interface CheckResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The exact text of `nestc check --json`. */
  diagnosticsJson: string;
}

export interface NamedValue {
  name?: string | null;
  type?: string;
  value: unknown;
  [field: string]: unknown;
}

export interface CallReport {
  kind: string;
  to: string;
  name: string | null;
  signature: string | null;
  args: NamedValue[] | null;
  returns: NamedValue[] | null;
  value: string;
  input: string;
  output: string;
  success: boolean;
  revert_reason: string | null;
  gas_used: number;
  pc: number | null;
  location: string | null;
  calls: CallReport[];
}

export interface AssetChange {
  token: string;
  symbol: string;
  decimals: number;
  before: string;
  after: string;
  delta: string;
  token_id?: string;
}

export interface AllowanceLeft {
  kind: string;
  what: string;
  function?: string;
  token: string;
  symbol: string | null;
  spender: string;
  spender_name: string | null;
  token_id: string | null;
  decimals?: number;
  before: string;
  after: string;
}

export interface GasBreakdown {
  total: number;
  base: number;
  calldata: number;
  execution: number;
  hyvm_overhead: number;
  vault_overhead: number;
  refund: number;
  calldata_floor_topup: number;
}

/** The dry-run report, as `nestc run --json` prints it. */
export interface Report {
  success: boolean;
  revert: { reason: string; location: string | null; [field: string]: unknown } | null;
  gas: GasBreakdown;
  guest_instructions: number;
  calls: CallReport[];
  asset_changes: AssetChange[];
  position_changes: Array<Record<string, unknown>>;
  allowances_left: AllowanceLeft[];
  vault_storage_changes: Array<{ slot: string; before: string; after: string }>;
  return: unknown[] | null;
  return_data: string;
  events: Array<Record<string, unknown>>;
  warnings: Array<Record<string, unknown>>;
}

export interface RunResult {
  /** `nestc run`'s exit status would be 0: it succeeded, left no permission and wrote no vault storage. */
  ok: boolean;
  bytecode: string | null;
  report: Report | null;
  /** The exact text of `nestc run --json`. */
  reportJson: string | null;
  /** The report for people, as `nestc run` prints it (no colour). */
  text: string | null;
  /** Compile errors (no report), or warnings. */
  diagnostics: Diagnostic[];
  diagnosticsJson: string | null;
  /** Why the dry run could not be carried out (an invalid scenario…), if so. */
  error: string | null;
}

export interface SnapshotOptions {
  /** The previous snapshot file's text to compare with. */
  previous?: string;
  optimize?: boolean | 0 | 1;
  disable?: string[];
  strict?: boolean;
}

export interface SnapshotResult {
  /** The snapshot file's text, as `nestc snapshot` writes it. */
  text: string;
  /** Every script compiled, ran, left no permission and wrote no vault storage. */
  ok: boolean;
  /** `path (status)` of each failing script. */
  failing: string[];
  /** Whether it differs from `previous` (null without `previous`). */
  changed: boolean | null;
  /** The differences for people, as `nestc snapshot --diff` prints them. */
  diff: string | null;
  /** `N changed, N added, N removed`. */
  summary: string | null;
  /** One line per failing script saying why. */
  messages: string[];
}

/**
 * Thrown when a script nests deeper than the JavaScript engine's stack lets the compiler
 * recurse (several hundred levels; `nestc` accepts up to its own limit, E0325). The module
 * stays usable.
 */
export class NestStackError extends Error {}

/** Thrown by `format` on a script with syntax errors. */
export class NestSyntaxError extends Error {
  diagnostics: Diagnostic[];
}

export function compile(source: string, options?: CompileOptions): CompileResult;
export function check(source: string, options?: CompileOptions): CheckResult;
/** The canonical layout (`nestc fmt`); throws `NestSyntaxError` on syntax errors. */
export function format(source: string): string;
/** `nestc explain CODE`'s text, or null for an unknown code. */
export function explain(code: string): string | null;
export function version(): string;
/** Compiles and dry-runs on the embedded devnet (`nestc run --json`). */
export function run(source: string, options?: RunOptions): RunResult;
/** Dry-runs a payload (`nestc run --bytecode 0x… --json`). */
export function runBytecode(hex: string, options?: Pick<RunOptions, 'scenario' | 'hyvmBuild'>): RunResult;
/** `nestc snapshot` over scripts in memory: path → text. */
export function snapshot(
  scripts: Record<string, string> | Map<string, string>,
  options?: SnapshotOptions,
): SnapshotResult;
/** Resolves at once: the import already instantiated the module. */
export function init(): Promise<void>;
