/**
 * The environment of the processes that run the pull request's code: cargo
 * (build scripts, proc macros, benches) and node-bench-command. They get the
 * runner's environment minus every credential the action holds, so code
 * under test cannot comment, upload artifacts, write caches or mint OIDC
 * tokens in the repository's name. Pure: the environment is passed in.
 */

/** Variables that carry a token or the address a runtime token is good for. */
const CREDENTIAL_NAMES: readonly RegExp[] = [
  /^INPUT_/, // the action's inputs, github-token among them
  /^ACTIONS_RUNTIME_(TOKEN|URL)$/,
  /^ACTIONS_RESULTS_URL$/,
  /^ACTIONS_CACHE_URL$/,
  /^ACTIONS_CACHE_SERVICE_V2$/,
  /^ACTIONS_ID_TOKEN_REQUEST_(TOKEN|URL)$/,
  /^(GITHUB|GH|GH_ENTERPRISE|GITHUB_ENTERPRISE)_TOKEN$/,
];

export interface ChildEnvOptions {
  /** The github-token input: any variable holding this value is dropped too, whatever its name. */
  token: string;
  /** expose-token-to-benchmarks: hand the token over as GITHUB_TOKEN (and nothing else). */
  exposeToken: boolean;
}

export function isCredential(name: string): boolean {
  return CREDENTIAL_NAMES.some((pattern) => pattern.test(name));
}

export function benchmarkEnv(env: NodeJS.ProcessEnv, options: ChildEnvOptions): NodeJS.ProcessEnv {
  const secrets = new Set(
    [options.token, env['ACTIONS_RUNTIME_TOKEN'], env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']].filter(
      (v): v is string => typeof v === 'string' && v.length >= 8,
    ),
  );
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isCredential(name) || secrets.has(value)) continue;
    clean[name] = value;
  }
  if (options.exposeToken && options.token !== '') clean['GITHUB_TOKEN'] = options.token;
  return clean;
}
