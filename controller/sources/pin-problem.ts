// The problems loading pins can report. Each one points at file:line:col.

import type { SourceProblem } from '../yaml/problem.js';
import type { YamlProblemCode } from '../yaml/yaml-file.js';

export type PinProblemCode =
  | YamlProblemCode
  /** The directory (or a path given) does not exist or cannot be listed. */
  | 'DirectoryNotFound'
  /** A symbolic link in the pins folder leads to a file outside it; it is not read. */
  | 'LinkOutsideFolder'
  /** A document that is not a mapping (a list, a bare value). */
  | 'NotAMapping'
  | 'MissingApiVersion'
  /** An atomsync.io document that is not atomsync.io/v1alpha1. */
  | 'WrongApiVersion'
  /** An atomsync.io/v1alpha1 document whose kind is not AtomVersion. */
  | 'WrongKind'
  | 'MissingName'
  /** metadata.name or metadata.namespace is not a valid Kubernetes name. */
  | 'InvalidName'
  /** Schema: a field the CRD does not define (usually a typo). */
  | 'UnknownField'
  /** Schema: a value of the wrong type (text where a number belongs, …). */
  | 'WrongType'
  /** Schema: a required field is absent. */
  | 'MissingField'
  /** Schema or window checks: a value of the right type that is not allowed. */
  | 'InvalidValue'
  /** Two documents pin the same runtime (the account by alias or id, the runtime by name or id). */
  | 'DuplicateRuntime'
  /** spec.account is neither an alias nor an id of a configured account (checked with a config). */
  | 'UnknownAccount'
  /** The account has no runtime of that name or id (checked against the platform). */
  | 'RuntimeNotFound'
  /** metadata.namespace is not the namespace the source gives the file's folder (config). */
  | 'NamespaceMismatch'
  /** Two documents have the same namespace/name. */
  | 'DuplicateName'
  /** Two IntegrationPackReleases for one pack of one publisher account (docs/publisher.md). */
  | 'DuplicateRelease';

export type PinProblem = SourceProblem<PinProblemCode>;
