/**
 * Runs the bundled action (dist/index.js) as a child process with the
 * environment a GitHub runner gives a node action: INPUT_* for every input
 * (action.yml defaults filled in, as the runner does), the GITHUB_* run
 * variables, the event payload file, and the files behind GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY and GITHUB_STATE.
 */
import { ownTargetDir } from './env.ts';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const ACTION_ENTRY = join(REPO_ROOT, 'dist', 'index.js');
export const POST_ENTRY = join(REPO_ROOT, 'dist', 'post.js');
export const NODE24_PATH = join(REPO_ROOT, '.tools', 'node24', 'node_modules', 'node', 'bin', 'node');

export interface NodeRuntime {
  label: string;
  /** Absolute path of the node binary. */
  path: string;
  /** Why it cannot run here (missing binary), or null. */
  missing: string | null;
}

export const NODE20: NodeRuntime = { label: 'Node 20', path: process.execPath, missing: null };
export const NODE24: NodeRuntime = {
  label: 'Node 24',
  path: NODE24_PATH,
  missing: existsSync(NODE24_PATH)
    ? null
    : `Node 24 (the runner's runtime, runs.using: node24) is not at ${NODE24_PATH}; run scripts/setup.sh`,
};

export interface ActionInput {
  description?: string;
  default?: string;
  required?: boolean;
}

export interface ActionMetadata {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string };
}

export function actionMetadata(): ActionMetadata {
  return parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionMetadata;
}

/** The runner's name for an input's variable: upper-cased, spaces to underscores, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Parses GITHUB_OUTPUT / GITHUB_STATE files: `name<<delimiter` heredocs as
 * @actions/core writes them, and plain `name=value` lines.
 */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i] ?? '');
      if (i >= lines.length) throw new Error(`unterminated heredoc for ${name}`);
      values[name] = body.join('\n');
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  state: Record<string, string>;
  /** The workspace (GITHUB_WORKSPACE and cwd). */
  workspace: string;
  /** `::error...::message` lines the action printed, message part only. */
  errors: string[];
}

export interface RunActionArgs {
  node: NodeRuntime;
  /** Runner variables (e.g. FakeGitHub.env(runId)); GITHUB_EVENT_PATH and the files are added. */
  env: Record<string, string>;
  event: Record<string, unknown>;
  /** Inputs by action.yml name; the rest take their action.yml defaults. */
  inputs: Record<string, string>;
  /** Reuse a workspace (a job's checkout); default: a fresh one. */
  workspace?: string;
  /** The post step (dist/post.js) instead of the main one. */
  post?: boolean;
  /** What the main step saved to GITHUB_STATE; the runner hands it to the post step as STATE_*. */
  state?: Record<string, string>;
  timeoutMs?: number;
}

// Variables of the test process that must not reach the action: a runner
// starts every step from its own GITHUB_*/INPUT_*/ACTIONS_*/RUNNER_* set.
const RUNNER_PREFIXES = ['GITHUB_', 'INPUT_', 'ACTIONS_', 'RUNNER_', 'STATE_', 'NODE_OPTIONS', 'NODE_TEST'];

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  // Nor a target directory the shell exported: a test that wants one passes it in `env`.
  for (const [key, value] of Object.entries(ownTargetDir())) {
    if (value !== undefined && !RUNNER_PREFIXES.some((prefix) => key.startsWith(prefix))) env[key] = value;
  }
  return env;
}

export async function newWorkspace(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'bench-e2e-ws-'));
}

export async function runAction(args: RunActionArgs): Promise<ActionRun> {
  if (args.node.missing) throw new Error(args.node.missing);
  const workspace = args.workspace ?? (await newWorkspace());
  const runnerDir = await mkdtemp(join(tmpdir(), 'bench-e2e-runner-'));
  const temp = join(runnerDir, 'temp');
  await mkdir(temp);
  const files = {
    GITHUB_EVENT_PATH: join(runnerDir, 'event.json'),
    GITHUB_OUTPUT: join(runnerDir, 'output'),
    GITHUB_STEP_SUMMARY: join(runnerDir, 'summary.md'),
    GITHUB_STATE: join(runnerDir, 'state'),
    GITHUB_ENV: join(runnerDir, 'env'),
    GITHUB_PATH: join(runnerDir, 'path'),
  };
  await writeFile(files.GITHUB_EVENT_PATH, JSON.stringify(args.event, null, 2));
  for (const path of [
    files.GITHUB_OUTPUT,
    files.GITHUB_STEP_SUMMARY,
    files.GITHUB_STATE,
    files.GITHUB_ENV,
    files.GITHUB_PATH,
  ])
    await writeFile(path, '');

  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(actionMetadata().inputs)) {
    if (!(name in args.inputs)) inputs[inputVariable(name)] = input.default ?? '';
  }
  for (const [name, value] of Object.entries(args.inputs)) inputs[inputVariable(name)] = value;

  const state = Object.fromEntries(Object.entries(args.state ?? {}).map(([name, value]) => [`STATE_${name}`, value]));
  const env = {
    ...baseEnv(),
    ...args.env,
    ...files,
    ...inputs,
    ...state,
    RUNNER_TEMP: args.env['RUNNER_TEMP'] ?? temp,
    GITHUB_WORKSPACE: workspace,
  };
  const entry = args.post ? POST_ENTRY : ACTION_ENTRY;
  // Every step runs at the suite's own priority: one run ahead of the others (nice -20) starved the wall-time e2e
  // beside it, which then saw a false regression (test/test-priority.test.ts).
  const { code, stdout, stderr } = await spawnNode(args.node.path, [entry], workspace, env, args.timeoutMs ?? 60_000);
  const read = (path: string): Promise<string> => readFile(path, 'utf8');
  return {
    code,
    stdout,
    stderr,
    outputs: parseCommandFile(await read(files.GITHUB_OUTPUT)),
    summary: await read(files.GITHUB_STEP_SUMMARY),
    state: parseCommandFile(await read(files.GITHUB_STATE)),
    workspace,
    errors: [...stdout.matchAll(/^::error(?: [^:]*)?::(.*)$/gm)].map((m) => decodeCommand(m[1] ?? '')),
  };
}

/** Undoes @actions/core's escaping of command data. */
function decodeCommand(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function spawnNode(
  node: string,
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(node, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // At the test's limit, SIGTERM first: the action then kills the process groups of what it runs (cargo, Valgrind),
    // which lead sessions of their own and would outlive a SIGKILLed action on the shared machine.
    let kill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    }, timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(kill);
      done({ code, stdout, stderr });
    });
  });
}
