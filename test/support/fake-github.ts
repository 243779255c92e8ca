/**
 * A loopback stand-in for GitHub: the REST API pieces bench-action uses, the
 * Actions artifact service (twirp) and its blob storage, all in memory on
 * 127.0.0.1. Tests seed and inspect `state`; the action under test talks to
 * it through the env vars `env()` returns, exactly as on a runner.
 *
 * Shapes follow GitHub's documented responses closely enough for Octokit and
 * @actions/artifact; fields nobody reads are left out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withEnv } from './env.ts';
import { makeZip, readZip, type ZipEntries } from './zip.ts';

export interface TokenInfo {
  login: string;
  type: 'Bot' | 'User';
  /** Writes answer 403 "Resource not accessible by integration", as a fork PR's GITHUB_TOKEN. */
  readOnly: boolean;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  createdAt: string;
  updatedAt: string;
}

export interface FakePull {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha: string;
  /** Set for a PR from a fork: its repository's full name. */
  headRepo?: string;
  state?: 'open' | 'closed';
}

export interface FakeRun {
  id: number;
  name: string;
  workflowId: number;
  path: string;
  headBranch: string;
  headSha: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | null;
  createdAt: string;
  runNumber: number;
  /** True when the run built a fork's code (its head repository differs). */
  fromFork: boolean;
  pullRequests: number[];
}

export interface FakeArtifact {
  id: number;
  name: string;
  runId: number;
  /** The zip as uploaded (or seeded); downloads return these bytes. */
  bytes: Buffer;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
  /** False between CreateArtifact and FinalizeArtifact: invisible to REST. */
  finalized: boolean;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  token: string | null;
}

export interface Outage {
  status: number;
  /** Which side fails: the REST API, the artifact service + blobs, or both. */
  scope: 'all' | 'rest' | 'artifacts';
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** Overrides the clock for created_at stamps (ms since epoch). */
  now?: () => number;
}

const REPO_ID = 1001;
const FORK_REPO_ID = 2002;
const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/';
const BLOB = '/devstoreaccount1/actions-results/';

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** An injected answer: a failure with GitHub's message and headers, or no answer at all. */
export interface Injected {
  status: number;
  message?: string;
  headers?: Record<string, string>;
  /** Never answer (the socket stays open until the fake closes). */
  hang?: boolean;
}

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  /** Tokens the fake knows; others get 401. */
  readonly tokens = new Map<string, TokenInfo>();
  readonly writeToken = 'ghs_fake_write_token';
  /** Awaited before each request is handled: a test holds one back to interleave two clients. */
  gate: ((method: string, path: string, body: string) => Promise<void>) | null = null;
  readonly readOnlyToken = 'ghs_fake_fork_token';
  readonly state = {
    comments: [] as FakeComment[],
    pulls: new Map<number, FakePull>(),
    runs: new Map<number, FakeRun>(),
    artifacts: new Map<number, FakeArtifact>(),
    /** `${base}...${head}` -> merge-base SHA. */
    mergeBases: new Map<string, string>(),
    /** Blob storage: key -> staged blocks and committed bytes. */
    blobs: new Map<string, { blocks: Map<string, Buffer>; committed: Buffer | null; artifactId: number }>(),
  };
  readonly requests: RequestRecord[] = [];
  outage: Outage | null = null;
  private readonly failures: { method: string; path: RegExp; answer: Injected; times: number }[] = [];
  private nextId = 1;
  private readonly server: Server;
  private readonly now: () => number;
  private port = 0;

  private constructor(options: FakeGitHubOptions) {
    this.owner = options.owner ?? 'sark';
    this.repo = options.repo ?? 'sark';
    this.defaultBranch = options.defaultBranch ?? 'main';
    this.now = options.now ?? Date.now;
    this.tokens.set(this.writeToken, { login: 'github-actions[bot]', type: 'Bot', readOnly: false });
    this.tokens.set(this.readOnlyToken, { login: 'github-actions[bot]', type: 'Bot', readOnly: true });
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /**
   * Starts a fake, then runs `load` (dynamic imports) with GITHUB_API_URL
   * pointing at it: @actions/github fixes its REST base URL when first
   * imported, and @actions/artifact's cross-run download relies on it.
   */
  static async startWith<T>(
    load: (fake: FakeGitHub) => Promise<T>,
    options: FakeGitHubOptions = {},
  ): Promise<{ fake: FakeGitHub; loaded: T }> {
    const fake = await FakeGitHub.start(options);
    const loaded = await withEnv({ GITHUB_API_URL: fake.url }, () => load(fake));
    return { fake, loaded };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  /**
   * The environment a runner gives a node action in `runId` (seed the run
   * first with addRun). The runtime token is a JWT whose Actions.Results
   * scope names the run, which is how uploads land in that run.
   */
  env(runId: number, overrides: Record<string, string> = {}): Record<string, string> {
    const run = this.state.runs.get(runId);
    if (!run) throw new Error(`fake-github: no run ${runId}; addRun() first`);
    const pull = run.pullRequests[0];
    return {
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_API_URL: this.url,
      GITHUB_GRAPHQL_URL: `${this.url}/graphql`,
      // @actions/artifact refuses GHES hosts, so the server URL stays github.com.
      GITHUB_SERVER_URL: 'https://github.com',
      ACTIONS_RESULTS_URL: `${this.url}/`,
      ACTIONS_RUNTIME_URL: `${this.url}/`,
      ACTIONS_RUNTIME_TOKEN: this.runtimeToken(runId),
      GITHUB_REPOSITORY: this.fullName,
      GITHUB_REPOSITORY_OWNER: this.owner,
      GITHUB_REPOSITORY_ID: String(REPO_ID),
      GITHUB_RUN_ID: String(runId),
      GITHUB_RUN_NUMBER: String(run.runNumber),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_SHA: run.headSha,
      GITHUB_REF: pull !== undefined ? `refs/pull/${pull}/merge` : `refs/heads/${run.headBranch}`,
      GITHUB_REF_NAME: pull !== undefined ? `${pull}/merge` : run.headBranch,
      GITHUB_WORKFLOW: run.name,
      GITHUB_WORKFLOW_REF: `${this.fullName}/${run.path}@refs/heads/${run.headBranch}`,
      GITHUB_JOB: 'bench',
      GITHUB_EVENT_NAME: run.event,
      GITHUB_ACTOR: 'octocat',
      ...overrides,
    };
  }

  runtimeToken(runId: number): string {
    const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const scp = `Actions.ExampleScope Actions.Results:run-${runId}:job-${runId}`;
    return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ scp, iat: 0 })}.${randomBytes(8).toString('base64url')}`;
  }

  // ---- seeding -----------------------------------------------------------

  private stamp(offsetMs = 0): string {
    return new Date(this.now() + offsetMs).toISOString();
  }

  addRun(run: Partial<FakeRun> & { headSha: string }): FakeRun {
    const id = run.id ?? this.id();
    const full: FakeRun = {
      id,
      name: 'bench',
      workflowId: 77,
      path: '.github/workflows/bench.yml',
      headBranch: this.defaultBranch,
      event: 'push',
      status: 'in_progress',
      conclusion: null,
      createdAt: this.stamp(),
      runNumber: id,
      fromFork: false,
      pullRequests: [],
      ...run,
    };
    this.state.runs.set(id, full);
    return full;
  }

  completeRun(runId: number, conclusion: NonNullable<FakeRun['conclusion']>): void {
    const run = this.state.runs.get(runId);
    if (!run) throw new Error(`fake-github: no run ${runId}`);
    run.status = 'completed';
    run.conclusion = conclusion;
  }

  addPull(pull: Partial<FakePull> & { number: number; headSha: string }): FakePull {
    const full: FakePull = {
      headRef: `feature-${pull.number}`,
      baseRef: this.defaultBranch,
      baseSha: '0'.repeat(40),
      ...pull,
    };
    this.state.pulls.set(full.number, full);
    return full;
  }

  setMergeBase(base: string, head: string, sha: string): void {
    this.state.mergeBases.set(`${base}...${head}`, sha);
  }

  addComment(
    issueNumber: number,
    body: string,
    user: FakeComment['user'] = { login: 'octocat', type: 'User' },
  ): FakeComment {
    const at = this.stamp();
    const comment: FakeComment = { id: this.id(), issueNumber, body, user, createdAt: at, updatedAt: at };
    this.state.comments.push(comment);
    return comment;
  }

  /**
   * Seeds a finalized artifact in `runId` holding `files` (zipped), or exactly `bytes` (a hostile or damaged archive).
   */
  addArtifact(args: {
    runId: number;
    name: string;
    files?: ZipEntries;
    bytes?: Buffer;
    createdAt?: string;
    expired?: boolean;
  }): FakeArtifact {
    const createdAt = args.createdAt ?? this.stamp();
    const artifact: FakeArtifact = {
      id: this.id(),
      name: args.name,
      runId: args.runId,
      bytes: args.bytes ?? makeZip(args.files ?? {}),
      createdAt,
      expiresAt: new Date(Date.parse(createdAt) + 90 * 86_400_000).toISOString(),
      expired: args.expired ?? false,
      finalized: true,
    };
    this.state.artifacts.set(artifact.id, artifact);
    return artifact;
  }

  commentsOn(issueNumber: number): FakeComment[] {
    return this.state.comments.filter((c) => c.issueNumber === issueNumber);
  }

  /** Finalized artifacts of a run, optionally by name. */
  artifactsOf(runId: number, name?: string): FakeArtifact[] {
    return [...this.state.artifacts.values()].filter(
      (a) => a.finalized && a.runId === runId && (name === undefined || a.name === name),
    );
  }

  /** The files inside an artifact's zip. */
  artifactFiles(artifactId: number): Record<string, string> {
    const artifact = this.state.artifacts.get(artifactId);
    if (!artifact) throw new Error(`fake-github: no artifact ${artifactId}`);
    return Object.fromEntries(Object.entries(readZip(artifact.bytes)).map(([k, v]) => [k, v.toString('utf8')]));
  }

  /** The next `times` requests matching method and path answer `status`. */
  failNext(method: string, path: RegExp, status: number, times = 1): void {
    this.failures.push({ method: method.toUpperCase(), path, answer: { status }, times });
  }

  /** The next `times` requests matching method and path get `answer` (a rate limit, or a hang). */
  injectNext(method: string, path: RegExp, answer: Injected, times = 1): void {
    this.failures.push({ method: method.toUpperCase(), path, answer, times });
  }

  private id(): number {
    return this.nextId++;
  }

  // ---- HTTP --------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const auth = req.headers['authorization'] ?? '';
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1] ?? null;
    const body = await readBody(req);
    // A test's gate may hold a request here (before it is handled) to force an interleaving.
    if (this.gate) await this.gate(method, url.pathname, body.toString('utf8'));
    const requestId = `FAKE:${randomBytes(4).toString('hex').toUpperCase()}`;
    res.setHeader('x-github-request-id', requestId);
    let status: number;
    try {
      const side = url.pathname.startsWith(TWIRP) || url.pathname.startsWith(BLOB) ? 'artifacts' : 'rest';
      if (this.outage && (this.outage.scope === 'all' || this.outage.scope === side)) {
        throw new HttpFailure(this.outage.status, STATUS_CODES[this.outage.status] ?? 'Outage');
      }
      const failure = this.failures.find((f) => f.times > 0 && f.method === method && f.path.test(url.pathname));
      if (failure) {
        failure.times--;
        if (failure.answer.hang) {
          this.requests.push({ method, path: url.pathname + url.search, status: 0, token });
          return; // the socket stays open: a GitHub that never answers
        }
        throw new HttpFailure(
          failure.answer.status,
          failure.answer.message ?? 'Injected failure',
          failure.answer.headers,
        );
      }
      if (url.pathname.startsWith(TWIRP)) status = this.twirp(url.pathname.slice(TWIRP.length), parseJson(body), res);
      else if (url.pathname.startsWith(BLOB)) status = this.blob(method, url, body, res);
      else status = this.rest(method, url, parseJson(body), token, res);
    } catch (error) {
      status = error instanceof HttpFailure ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) {
        if (error instanceof HttpFailure)
          for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
        const twirp = url.pathname.startsWith(TWIRP);
        send(
          res,
          status,
          twirp ? { code: 'internal', msg: message } : { message, documentation_url: 'https://docs.github.com/rest' },
        );
      }
    }
    this.requests.push({ method, path: url.pathname + url.search, status, token });
  }

  // REST ---------------------------------------------------------------------

  private auth(token: string | null, write: boolean): TokenInfo {
    const info = token ? this.tokens.get(token) : undefined;
    if (!info) throw new HttpFailure(401, 'Bad credentials');
    if (write && info.readOnly) throw new HttpFailure(403, 'Resource not accessible by integration');
    return info;
  }

  private rest(method: string, url: URL, body: unknown, token: string | null, res: ServerResponse): number {
    const path = url.pathname.replace(/\/+$/, '');
    const q = url.searchParams;
    if (method === 'POST' && path === '/graphql') {
      const who = this.auth(token, false);
      const query = isRecord(body) && typeof body['query'] === 'string' ? body['query'] : '';
      if (!/viewer\s*\{\s*login\s*\}/.test(query))
        throw new HttpFailure(400, 'fake-github answers only { viewer { login } }');
      return send(res, 200, { data: { viewer: { login: who.login } } });
    }
    if (method === 'GET' && path === '/user') {
      const who = this.auth(token, false);
      if (who.type === 'Bot') throw new HttpFailure(403, 'Resource not accessible by integration');
      return send(res, 200, { login: who.login, id: 1, type: who.type });
    }
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (!path.startsWith(prefix)) throw new HttpFailure(404, 'Not Found');
    const rest = path.slice(prefix.length);
    const write = method !== 'GET' && method !== 'HEAD';
    this.auth(token, write);
    let m: RegExpExecArray | null;

    if (method === 'GET' && rest === '') {
      return send(res, 200, {
        id: REPO_ID,
        name: this.repo,
        full_name: this.fullName,
        default_branch: this.defaultBranch,
        owner: { login: this.owner },
      });
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1]);
      if (method === 'GET')
        return this.page(
          res,
          url,
          this.commentsOn(issue).map((c) => this.commentJson(c)),
        );
      if (method === 'POST') {
        const text = isRecord(body) && typeof body['body'] === 'string' ? body['body'] : null;
        if (text === null) throw new HttpFailure(422, 'Invalid request: body is required');
        const who = this.auth(token, true);
        tooLong(text);
        const comment = this.addComment(issue, text, { login: who.login, type: who.type });
        return send(res, 201, this.commentJson(comment));
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const comment = this.state.comments.find((c) => c.id === Number(m?.[1]));
      if (!comment) throw new HttpFailure(404, 'Not Found');
      if (method === 'GET') return send(res, 200, this.commentJson(comment));
      if (method === 'PATCH') {
        const text = isRecord(body) && typeof body['body'] === 'string' ? body['body'] : null;
        if (text === null) throw new HttpFailure(422, 'Invalid request: body is required');
        this.auth(token, true);
        tooLong(text);
        comment.body = text;
        comment.updatedAt = this.stamp();
        return send(res, 200, this.commentJson(comment));
      }
      if (method === 'DELETE') {
        this.auth(token, true);
        this.state.comments = this.state.comments.filter((c) => c !== comment);
        res.writeHead(204).end();
        return 204;
      }
    }
    if (method === 'GET' && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
      const pull = this.state.pulls.get(Number(m[1]));
      if (!pull) throw new HttpFailure(404, 'Not Found');
      return send(res, 200, this.pullJson(pull));
    }
    if (method === 'GET' && (m = /^\/compare\/(.+)$/.exec(rest))) {
      const basehead = decodeURIComponent(m[1] ?? '');
      const sha = this.state.mergeBases.get(basehead);
      if (!sha) throw new HttpFailure(404, 'Not Found');
      return send(res, 200, {
        status: 'ahead',
        ahead_by: 1,
        behind_by: 0,
        total_commits: 1,
        merge_base_commit: { sha },
        base_commit: { sha },
        commits: [],
        files: [],
      });
    }
    if (method === 'GET' && (rest === '/actions/runs' || (m = /^\/actions\/workflows\/([^/]+)\/runs$/.exec(rest)))) {
      const workflow = m?.[1];
      const runs = [...this.state.runs.values()]
        .filter((r) => workflow === undefined || String(r.workflowId) === workflow || r.path.endsWith(`/${workflow}`))
        .filter((r) => !q.get('branch') || r.headBranch === q.get('branch'))
        .filter((r) => !q.get('event') || r.event === q.get('event'))
        .filter((r) => !q.get('head_sha') || r.headSha === q.get('head_sha'))
        .filter((r) => !q.get('status') || r.status === q.get('status') || r.conclusion === q.get('status'))
        .sort((a, b) => b.id - a.id)
        .map((r) => this.runJson(r));
      return this.page(res, url, runs, 'workflow_runs');
    }
    if (method === 'GET' && (m = /^\/actions\/runs\/(\d+)$/.exec(rest))) {
      const run = this.state.runs.get(Number(m[1]));
      if (!run) throw new HttpFailure(404, 'Not Found');
      return send(res, 200, this.runJson(run));
    }
    if (method === 'GET' && (rest === '/actions/artifacts' || (m = /^\/actions\/runs\/(\d+)\/artifacts$/.exec(rest)))) {
      const runId = m ? Number(m[1]) : undefined;
      const name = q.get('name');
      const list = [...this.state.artifacts.values()]
        .filter((a) => a.finalized && (runId === undefined || a.runId === runId) && (!name || a.name === name))
        .sort((a, b) => b.id - a.id)
        .map((a) => this.artifactJson(a));
      return this.page(res, url, list, 'artifacts');
    }
    if (method === 'GET' && (m = /^\/actions\/artifacts\/(\d+)(?:\/(zip))?$/.exec(rest))) {
      const artifact = this.state.artifacts.get(Number(m[1]));
      if (!artifact || !artifact.finalized) throw new HttpFailure(404, 'Not Found');
      if (!m[2]) return send(res, 200, this.artifactJson(artifact));
      if (artifact.expired) throw new HttpFailure(410, 'Artifact has expired');
      // As on GitHub: a redirect to a short-lived signed blob URL.
      const key = `download-${artifact.id}-${randomBytes(4).toString('hex')}.zip`;
      this.state.blobs.set(key, { blocks: new Map(), committed: artifact.bytes, artifactId: artifact.id });
      res.writeHead(302, { location: this.blobUrl(key) });
      res.end();
      return 302;
    }
    throw new HttpFailure(404, 'Not Found');
  }

  /** Answers a list with GitHub's page/per_page and Link header. */
  private page(res: ServerResponse, url: URL, items: unknown[], key?: string): number {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const links: string[] = [];
    const link = (n: number, rel: string): string => {
      const next = new URL(url);
      next.searchParams.set('page', String(n));
      next.searchParams.set('per_page', String(perPage));
      return `<${next.href}>; rel="${rel}"`;
    };
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    if (links.length > 0) res.setHeader('link', links.join(', '));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    return send(res, 200, key ? { total_count: items.length, [key]: slice } : slice);
  }

  private commentJson(c: FakeComment): Record<string, unknown> {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.url}/repos/${this.fullName}/issues/comments/${c.id}`,
      html_url: `https://github.com/${this.fullName}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${this.url}/repos/${this.fullName}/issues/${c.issueNumber}`,
      body: c.body,
      user: { login: c.user.login, id: c.user.type === 'Bot' ? 41898282 : 1, type: c.user.type },
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    };
  }

  private pullJson(p: FakePull): Record<string, unknown> {
    const headRepo = p.headRepo ?? this.fullName;
    return {
      number: p.number,
      state: p.state ?? 'open',
      head: {
        sha: p.headSha,
        ref: p.headRef,
        repo: {
          full_name: headRepo,
          id: headRepo === this.fullName ? REPO_ID : FORK_REPO_ID,
          fork: headRepo !== this.fullName,
        },
      },
      base: { sha: p.baseSha, ref: p.baseRef, repo: { full_name: this.fullName, id: REPO_ID } },
    };
  }

  private repoJson(id: number): Record<string, unknown> {
    return id === REPO_ID
      ? { id, full_name: this.fullName, name: this.repo }
      : { id, full_name: `fork-owner/${this.repo}`, name: this.repo };
  }

  /** A run as the REST API (and a workflow_run event) shows it. */
  runResource(runId: number): Record<string, unknown> {
    const run = this.state.runs.get(runId);
    if (!run) throw new Error(`fake-github: no run ${runId}`);
    return this.runJson(run);
  }

  /** The repository as webhook payloads embed it. */
  repositoryResource(): Record<string, unknown> {
    return {
      id: REPO_ID,
      name: this.repo,
      full_name: this.fullName,
      owner: { login: this.owner },
      default_branch: this.defaultBranch,
      private: false,
    };
  }

  /** A pull request as the REST API (and a pull_request event) shows it. */
  pullResource(number: number): Record<string, unknown> {
    const pull = this.state.pulls.get(number);
    if (!pull) throw new Error(`fake-github: no pull ${number}`);
    return this.pullJson(pull);
  }

  private runJson(r: FakeRun): Record<string, unknown> {
    const headId = r.fromFork ? FORK_REPO_ID : REPO_ID;
    return {
      id: r.id,
      name: r.name,
      workflow_id: r.workflowId,
      path: r.path,
      head_branch: r.headBranch,
      head_sha: r.headSha,
      event: r.event,
      status: r.status,
      conclusion: r.conclusion,
      run_number: r.runNumber,
      run_attempt: 1,
      created_at: r.createdAt,
      updated_at: r.createdAt,
      html_url: `https://github.com/${this.fullName}/actions/runs/${r.id}`,
      pull_requests: r.fromFork
        ? [] // GitHub leaves this empty for runs of fork PRs
        : r.pullRequests.map((n) => ({
            number: n,
            head: { sha: r.headSha, ref: r.headBranch },
            base: { ref: this.defaultBranch },
          })),
      repository: this.repoJson(REPO_ID),
      head_repository: this.repoJson(headId),
    };
  }

  private artifactJson(a: FakeArtifact): Record<string, unknown> {
    const run = this.state.runs.get(a.runId);
    return {
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
      name: a.name,
      size_in_bytes: a.bytes.length,
      url: `${this.url}/repos/${this.fullName}/actions/artifacts/${a.id}`,
      archive_download_url: `${this.url}/repos/${this.fullName}/actions/artifacts/${a.id}/zip`,
      expired: a.expired,
      digest: `sha256:${createHash('sha256').update(a.bytes).digest('hex')}`,
      created_at: a.createdAt,
      updated_at: a.createdAt,
      expires_at: a.expiresAt,
      workflow_run: run
        ? {
            id: run.id,
            repository_id: REPO_ID,
            head_repository_id: run.fromFork ? FORK_REPO_ID : REPO_ID,
            head_branch: run.headBranch,
            head_sha: run.headSha,
          }
        : null,
    };
  }

  // Artifact service (twirp JSON) ---------------------------------------------

  private runFromBackendId(body: Record<string, unknown>): FakeRun {
    const id = /^run-(\d+)$/.exec(String(body['workflow_run_backend_id'] ?? ''))?.[1];
    const run = id ? this.state.runs.get(Number(id)) : undefined;
    if (!run) throw new HttpFailure(404, 'workflow run not found');
    return run;
  }

  private twirp(method: string, body: unknown, res: ServerResponse): number {
    if (!isRecord(body)) throw new HttpFailure(400, 'malformed request');
    const run = this.runFromBackendId(body);
    const name = typeof body['name'] === 'string' ? body['name'] : '';
    const inRun = (finalized: boolean): FakeArtifact | undefined =>
      [...this.state.artifacts.values()].find(
        (a) => a.runId === run.id && a.name === name && a.finalized === finalized,
      );
    switch (method) {
      case 'CreateArtifact': {
        if (inRun(true)) throw new HttpFailure(409, 'an artifact with this name already exists on the workflow run');
        const createdAt = this.stamp();
        const expires =
          typeof body['expires_at'] === 'string'
            ? body['expires_at']
            : new Date(Date.parse(createdAt) + 90 * 86_400_000).toISOString();
        const artifact: FakeArtifact = {
          id: this.id(),
          name,
          runId: run.id,
          bytes: Buffer.alloc(0),
          createdAt,
          expiresAt: expires,
          expired: false,
          finalized: false,
        };
        this.state.artifacts.set(artifact.id, artifact);
        const key = `upload-${artifact.id}.zip`;
        this.state.blobs.set(key, { blocks: new Map(), committed: null, artifactId: artifact.id });
        return send(res, 200, { ok: true, signed_upload_url: this.blobUrl(key) });
      }
      case 'FinalizeArtifact': {
        const artifact = inRun(false);
        if (!artifact) throw new HttpFailure(404, 'artifact not found');
        const blob = [...this.state.blobs.values()].find((b) => b.artifactId === artifact.id && b.committed);
        if (!blob?.committed) throw new HttpFailure(400, 'artifact has no uploaded content');
        artifact.bytes = blob.committed;
        if (String(body['size']) !== String(artifact.bytes.length))
          throw new HttpFailure(
            400,
            `size ${String(body['size'])} does not match the ${artifact.bytes.length} bytes uploaded`,
          );
        const hash = `sha256:${createHash('sha256').update(artifact.bytes).digest('hex')}`;
        if (typeof body['hash'] === 'string' && body['hash'] !== hash)
          throw new HttpFailure(400, 'hash does not match the uploaded bytes');
        artifact.finalized = true;
        return send(res, 200, { ok: true, artifact_id: String(artifact.id) });
      }
      case 'ListArtifacts': {
        const nameFilter = typeof body['name_filter'] === 'string' ? body['name_filter'] : undefined;
        const idFilter = body['id_filter'] === undefined ? undefined : Number(body['id_filter']);
        const artifacts = this.artifactsOf(run.id)
          .filter(
            (a) => (nameFilter === undefined || a.name === nameFilter) && (idFilter === undefined || a.id === idFilter),
          )
          .map((a) => ({
            workflow_run_backend_id: `run-${a.runId}`,
            workflow_job_run_backend_id: `job-${a.runId}`,
            database_id: String(a.id),
            name: a.name,
            size: String(a.bytes.length),
            created_at: a.createdAt,
          }));
        return send(res, 200, { artifacts });
      }
      case 'GetSignedArtifactURL': {
        const artifact = inRun(true);
        if (!artifact) throw new HttpFailure(404, 'artifact not found');
        const key = `download-${artifact.id}-${randomBytes(4).toString('hex')}.zip`;
        this.state.blobs.set(key, { blocks: new Map(), committed: artifact.bytes, artifactId: artifact.id });
        return send(res, 200, { signed_url: this.blobUrl(key) });
      }
      default:
        throw new HttpFailure(404, `unknown method ${method}`);
    }
  }

  // Blob storage (the Azure calls BlockBlobClient.uploadStream makes) --------

  private blobUrl(key: string): string {
    return `${this.url}${BLOB}${key}?sv=2024-11-04&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=rcw&sig=${randomBytes(12).toString('base64url')}`;
  }

  private blob(method: string, url: URL, body: Buffer, res: ServerResponse): number {
    if (!url.searchParams.get('sig')) throw new HttpFailure(403, 'AuthenticationFailed');
    const key = decodeURIComponent(url.pathname.slice(BLOB.length));
    const blob = this.state.blobs.get(key);
    if (!blob) throw new HttpFailure(404, 'BlobNotFound');
    const comp = url.searchParams.get('comp');
    const azure = {
      'x-ms-request-id': randomBytes(8).toString('hex'),
      'x-ms-version': '2024-11-04',
      date: new Date().toUTCString(),
    };
    if (method === 'PUT' && comp === 'block') {
      const blockId = url.searchParams.get('blockid');
      if (!blockId) throw new HttpFailure(400, 'InvalidQueryParameterValue');
      blob.blocks.set(blockId, body);
      res.writeHead(201, { ...azure, 'x-ms-request-server-encrypted': 'true', 'content-length': '0' });
      res.end();
      return 201;
    }
    if (method === 'PUT' && comp === 'blocklist') {
      // <BlockList><Latest>id</Latest>...</BlockList>, in commit order.
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map(
        (x) => x[1] ?? '',
      );
      const parts = ids.map((id) => {
        const part = blob.blocks.get(id);
        if (!part) throw new HttpFailure(400, 'InvalidBlockList');
        return part;
      });
      blob.committed = Buffer.concat(parts);
      res.writeHead(201, {
        ...azure,
        etag: `"0x${randomBytes(6).toString('hex')}"`,
        'last-modified': new Date().toUTCString(),
        'content-length': '0',
      });
      res.end();
      return 201;
    }
    if (method === 'PUT' && comp === null) {
      blob.committed = body; // Put Blob: single-shot upload
      res.writeHead(201, {
        ...azure,
        etag: `"0x${randomBytes(6).toString('hex')}"`,
        'last-modified': new Date().toUTCString(),
        'content-length': '0',
      });
      res.end();
      return 201;
    }
    if (method === 'GET' && comp === null) {
      if (!blob.committed) throw new HttpFailure(404, 'BlobNotFound');
      res.writeHead(200, {
        ...azure,
        'content-type': 'application/zip',
        'content-length': String(blob.committed.length),
      });
      res.end(blob.committed);
      return 200;
    }
    throw new HttpFailure(405, 'UnsupportedHttpVerb');
  }
}

/** GitHub's limit on comment bodies, counted in characters (code points). */
export const COMMENT_LIMIT = 65_536;

function tooLong(text: string): void {
  if ([...text].length > COMMENT_LIMIT)
    throw new HttpFailure(422, `Validation Failed: Body is too long (maximum is ${COMMENT_LIMIT} characters)`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, payload: unknown): number {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
  return status;
}
