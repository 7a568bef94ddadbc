// Server-side printing: the meta.k8s.io Table that `kubectl get` asks for, with a CRD's
// additionalPrinterColumns evaluated the way the API server does (dates become ages like "5m").
import { evaluateJsonPath, formatJsonPathResults } from './jsonpath.js';
import type { KubeObject, PrinterColumn, ResourceType, TableColumn } from './kube-types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  tableApiVersion: string;
  includeObject: IncludeObject;
  resourceVersion: string;
  continueToken?: string;
  now: Date;
  /** Watch events after the first leave the column definitions out, as the API server does. */
  withColumnDefinitions?: boolean;
}

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources ' +
  'may allow a client to request the generation of an appropriate name automatically. Name is primarily ' +
  'intended for creation idempotence and configuration definition. Cannot be updated. More info: ' +
  'https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created.';

export function toTable(type: ResourceType, objects: KubeObject[], options: TableOptions): object {
  const columns = type.tableColumns;
  const definitions = [nameDefinition(), ...columns.map(definitionOf)];
  return {
    kind: 'Table',
    apiVersion: options.tableApiVersion,
    metadata: {
      resourceVersion: options.resourceVersion,
      ...(options.continueToken ? { continue: options.continueToken } : {}),
    },
    columnDefinitions: options.withColumnDefinitions === false ? null : definitions,
    rows: objects.map((obj) => ({
      cells: [obj.metadata?.name ?? '', ...columns.map((c) => c.cell(obj, options.now) ?? null)],
      ...rowObject(obj, options.includeObject),
    })),
  };
}

function rowObject(obj: KubeObject, includeObject: IncludeObject): { object?: object } {
  if (includeObject === 'None') return {};
  if (includeObject === 'Object') return { object: obj };
  return { object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata } };
}

function nameDefinition(): object {
  return { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 };
}

function definitionOf(column: TableColumn): object {
  const { name, type, format, description, priority } = column;
  return { name, type, format, description, priority };
}

export function ageColumn(): TableColumn {
  return {
    name: 'Age',
    type: 'date',
    format: '',
    description: AGE_DESCRIPTION,
    priority: 0,
    cell: (obj, now) => ageOf(obj.metadata?.creationTimestamp, now),
  };
}

export function fieldColumn(
  name: string,
  cell: (obj: KubeObject) => unknown,
  type = 'string',
  description = '',
): TableColumn {
  return { name, type, format: '', description, priority: 0, cell: (obj) => cell(obj) };
}

/** A CRD without additionalPrinterColumns still prints an Age column. */
export function columnsFromPrinterColumns(printerColumns: PrinterColumn[] | undefined): TableColumn[] {
  if (!printerColumns || printerColumns.length === 0) return [ageColumn()];
  return printerColumns.map((column) => ({
    name: column.name,
    type: column.type,
    format: column.format ?? '',
    description: column.description ?? '',
    priority: column.priority ?? 0,
    cell: (obj, now) => printerCell(column, obj, now),
  }));
}

function printerCell(column: PrinterColumn, obj: KubeObject, now: Date): unknown {
  const results = evaluateJsonPath(column.jsonPath, obj);
  const first = results[0];
  if (first === undefined) return null;
  switch (column.type) {
    case 'date':
      return typeof first === 'string' ? ageOf(first, now) : null;
    case 'integer':
    case 'number':
      return typeof first === 'number' ? first : null;
    case 'boolean':
      return typeof first === 'boolean' ? first : null;
    default:
      return formatJsonPathResults(results);
  }
}

function ageOf(timestamp: string | undefined, now: Date): string | null {
  if (!timestamp) return null;
  const since = Date.parse(timestamp);
  if (Number.isNaN(since)) return null;
  return humanDuration(now.getTime() - since);
}

/** apimachinery's duration.HumanDuration: "45s", "5m30s", "3h", "2d4h", "1y30d". */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return withRemainder(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return withRemainder(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return withRemainder(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return withRemainder(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function withRemainder(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}
