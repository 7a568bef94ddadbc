// Desired state handed to the controller in memory (no file or git I/O inside a measurement).
import type { DesiredAtomVersion } from '../../controller/domain/types.js';
import type { Source, SourceSnapshot } from '../../controller/sources/source.js';

export class StaticSource implements Source {
  readonly name = 'static:bench';
  constructor(private readonly desired: DesiredAtomVersion[]) {}
  async start(onChange: (snapshot: SourceSnapshot) => void): Promise<void> {
    onChange({ revision: 'bench-revision', desired: this.desired, problems: [] });
  }
  async stop(): Promise<void> {}
}
