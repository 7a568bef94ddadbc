// The controller's sources, from the config's `sources:` list. Kubernetes sources come from the
// Kubernetes integration (controller/kube/), which hands them to the controller itself: `createSource`
// for them is supplied by the caller.
import type { AtomsyncConfig, GitSourceConfig, SourceConfig } from '../config/types.js';
import { resolveGitCredentials } from '../config/credentials.js';
import { fileSourceNamespaces } from '../config/file-source-namespaces.js';
import { DirectorySource } from '../sources/directory-source.js';
import { GitSource } from '../sources/git-source.js';
import type { Source } from '../sources/source.js';

export interface SourceFactoryOptions {
  /** Told each git token read, so logs can scrub it. */
  onSecret?: (secret: string) => void;
  /** Builds sources of other kinds (kubernetes); undefined = not supported here. */
  createOther?: (source: SourceConfig) => Source | undefined;
  env?: NodeJS.ProcessEnv;
}

/** Thrown for a configured source this process cannot run. */
class UnsupportedSourceError extends Error {
  readonly code = 'UnsupportedSource';
}

/** Environment variable under which a git token read from tokenFile is handed to git. */
const GIT_TOKEN_VARIABLE = 'ATOMSYNC_GIT_SOURCE_TOKEN';

export function createSources(
  config: Pick<AtomsyncConfig, 'sources' | 'stateDir'>,
  options: SourceFactoryOptions = {},
): Source[] {
  return config.sources.map((source) => {
    if (source.kind === 'directory') {
      return new DirectorySource({ path: source.path, namespaces: fileSourceNamespaces(config, source) });
    }
    if (source.kind === 'git') return gitSource(source, config, options);
    const other = options.createOther?.(source);
    if (other) return other;
    throw new UnsupportedSourceError(
      `source kind ${source.kind} is not available in this process; use directory or git sources, or run the Kubernetes deployment`,
    );
  });
}

function gitSource(
  source: GitSourceConfig,
  config: Pick<AtomsyncConfig, 'sources' | 'stateDir'>,
  options: SourceFactoryOptions,
): GitSource {
  const env = options.env ?? process.env;
  const credentials = resolveGitCredentials(source, env);
  if (credentials) options.onSecret?.(credentials.token);
  return new GitSource({
    url: source.url,
    branch: source.branch,
    path: source.path,
    intervalSeconds: source.intervalSeconds,
    stateDir: config.stateDir,
    namespaces: fileSourceNamespaces(config, source),
    ...(credentials
      ? {
          auth: { tokenEnv: GIT_TOKEN_VARIABLE, scheme: 'basic', username: credentials.username },
          env: { ...env, [GIT_TOKEN_VARIABLE]: credentials.token },
        }
      : {}),
  });
}
