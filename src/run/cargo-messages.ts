/**
 * cargo's JSON-lines messages (`--message-format=json`), read once (pure):
 * the bench executables a build made and the library search paths its build
 * scripts asked for. Lines that are not JSON (a build script's own output with
 * `json-render-diagnostics`) are passed over.
 */
import { dirname } from 'node:path';

/** The fields of cargo's messages read here; every one is checked before use. */
interface CargoMessage {
  reason?: unknown;
  linked_paths?: unknown;
  manifest_path?: unknown;
  target?: { kind?: unknown; name?: unknown };
  executable?: unknown;
}

/** Each JSON object line of `text`, in cargo's order. */
export function cargoMessages(text: string): CargoMessage[] {
  const messages: CargoMessage[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      messages.push(JSON.parse(line) as CargoMessage);
    } catch {
      // Not one of cargo's messages.
    }
  }
  return messages;
}

/** A bench executable a build made. */
export interface BenchArtifact {
  /** The bench target's name (`[[bench]] name`). */
  target: string;
  executable: string;
  /** Its package's directory: cargo runs a bench there, and relative paths in bench code mean it. */
  packageDir: string;
}

/** The bench executables among `messages`, each once, in cargo's order. */
export function benchArtifacts(messages: readonly CargoMessage[]): BenchArtifact[] {
  const found: BenchArtifact[] = [];
  for (const { reason, target, executable, manifest_path: manifest } of messages) {
    if (reason !== 'compiler-artifact' || typeof executable !== 'string' || typeof manifest !== 'string') continue;
    if (!Array.isArray(target?.kind) || !target.kind.includes('bench') || typeof target.name !== 'string') continue;
    if (found.some((b) => b.executable === executable)) continue;
    found.push({ target: target.name, executable, packageDir: dirname(manifest) });
  }
  return found;
}

/**
 * The library search paths build scripts asked for (`cargo:rustc-link-search`, the `linked_paths` of cargo's
 * `build-script-executed` messages, `KIND=` prefix dropped), each once.
 */
export function linkedPaths(messages: readonly CargoMessage[]): string[] {
  const paths: string[] = [];
  for (const message of messages) {
    if (message.reason !== 'build-script-executed' || !Array.isArray(message.linked_paths)) continue;
    for (const entry of message.linked_paths) {
      if (typeof entry !== 'string') continue;
      const path = entry.replace(/^(native|crate|dependency|framework|all)=/, '');
      if (!paths.includes(path)) paths.push(path);
    }
  }
  return paths;
}
