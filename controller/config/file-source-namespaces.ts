// The namespace rules of a configured file source (directory or git), as the pin loader takes them.
import { DEFAULT_NAMESPACE, type SourceNamespaces } from '../sources/source-namespaces.js';
import type { AtomsyncConfig, DirectorySourceConfig, GitSourceConfig } from './types.js';

export function fileSourceNamespaces(
  config: Pick<AtomsyncConfig, 'sources'>,
  source: DirectorySourceConfig | GitSourceConfig,
): SourceNamespaces {
  return {
    namespace: source.namespace ?? DEFAULT_NAMESPACE,
    ...(source.folderNamespaces && { folders: source.folderNamespaces }),
    source: `sources[${config.sources.indexOf(source)}]`,
  };
}
