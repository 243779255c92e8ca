/**
 * Scoped environment changes for tests: set, then restore exactly what was
 * there (including absence) so one test's runner env never leaks into another.
 */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(vars)) {
    saved.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * Where cargo puts its build when these are set: a test's own workspace must
 * build into its own `target/`, whatever the shell exported (a shared target
 * directory or sccache setup would make concurrent tests wait on one lock and
 * mix their Criterion results).
 */
export const TARGET_DIR_VARIABLES = ['CARGO_TARGET_DIR', 'CARGO_BUILD_TARGET_DIR'] as const;

/** `env` without the variables that move cargo's target directory. */
export function ownTargetDir(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const key of TARGET_DIR_VARIABLES) delete copy[key];
  return copy;
}

export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const restore = setEnv(vars);
  try {
    return await fn();
  } finally {
    restore();
  }
}
