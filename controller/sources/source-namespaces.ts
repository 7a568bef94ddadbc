// Which namespace the pins of a file source belong to (issue 16, Why 4). The source decides — the
// `namespace:` of its config entry, or the namespace its `folderNamespaces` maps the file's folder to —
// never the file: tenancy is granted per namespace, so a file in a shared folder must not be able to
// claim one. A file may still write `metadata.namespace`, as kubectl allows, but only the one its folder
// is in; any other is a load problem (NamespaceMismatch).

export interface SourceNamespaces {
  /** Namespace of the files under no mapped folder. */
  namespace: string;
  /** Folder inside the source (`/`-separated) → namespace of the files under it; the deepest folder wins. */
  folders?: Readonly<Record<string, string>>;
  /** How the config names the source in messages, e.g. `sources[0]`. */
  source: string;
}

/** The namespace of one file, and the config setting that decided it (for messages). */
export interface FileNamespace {
  namespace: string;
  setBy: string;
}

export const DEFAULT_NAMESPACE = 'default';

/** The namespace of the file at `relativeFile` (inside the source, `/`-separated). */
export function namespaceOfFile(rules: SourceNamespaces, relativeFile: string): FileNamespace {
  const folder = deepestFolder(rules.folders ?? {}, relativeFile);
  if (folder !== undefined) {
    return { namespace: rules.folders![folder]!, setBy: `${rules.source}.folderNamespaces.${folder}` };
  }
  return { namespace: rules.namespace, setBy: `${rules.source}.namespace` };
}

function deepestFolder(folders: Readonly<Record<string, string>>, file: string): string | undefined {
  return Object.keys(folders)
    .filter((folder) => {
      const prefix = trimSlashes(folder);
      return prefix === '' || file.startsWith(`${prefix}/`);
    })
    .sort((a, b) => trimSlashes(b).length - trimSlashes(a).length)[0];
}

function trimSlashes(folder: string): string {
  return folder.replace(/^\.?\/+|\/+$/g, '');
}

/** A file's path inside a folder of the source (`team-a` + `x.yaml` → `team-a/x.yaml`). */
export function insideSource(folderInSource: string, relativeFile: string): string {
  const folder = trimSlashes(folderInSource);
  if (folder === '') return relativeFile;
  return relativeFile === '' ? folder : `${folder}/${relativeFile}`;
}

/** The problem text for a file that declares another namespace than its folder's. */
export function namespaceMismatch(declared: string, expected: FileNamespace): string {
  return (
    `metadata.namespace '${declared}' is not this file's namespace: ${expected.setBy} in the config puts ` +
    `it in '${expected.namespace}'. Remove metadata.namespace (the source decides it), or move the file ` +
    `to a folder the config maps to '${declared}' (folderNamespaces on the source)`
  );
}

/** A repository path made relative to the source's folder (`pins/team-a/x.yaml` in `pins` → `team-a/x.yaml`). */
export function pathInside(folder: string, file: string): string {
  if (folder === '') return file;
  if (file === folder) return '';
  return file.startsWith(`${folder}/`) ? file.slice(folder.length + 1) : file;
}
