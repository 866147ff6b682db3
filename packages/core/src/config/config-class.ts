/**
 * Config classes as data, and single (non-union) config instances.
 *
 * A config class mirrors one Python `@dataclass` config class: an ordered list of fields (some required, the
 * others with defaults), un-annotated class attributes (readable, never serialized, not settable through the
 * constructor), an `architecture` that is either a serialized field or (bottleneck family) a class attribute
 * `None`, and single inheritance with overridden defaults. The core never branches on a method name: every
 * method-specific behaviour of the Python config classes is expressed as data here.
 */

import { AdapterConfigError } from '../errors';
import {
  cloneJsonValue,
  isJsonObject,
  markNotJson,
  pyTruthy,
  setOwnProperty,
  toJsonValue,
  type JsonValue,
} from './python-value';

/** Receives warnings (e.g. unknown keys kept as extra attributes). Defaults to `console.warn`. */
export type WarnFn = (message: string) => void;

/** The default {@link WarnFn}. */
export const defaultWarn: WarnFn = (message) => {
  console.warn(message);
};

/**
 * When two configs of the same class family and the same `architecture` may sit in one `ConfigUnion` (Python's
 * bottleneck rule): they are compatible only if they differ in every listed field.
 */
export interface UnionCompatibility {
  /** Fields that must all differ between the two configs (Python: `mh_adapter`, `output_adapter`). */
  readonly mustDifferIn: readonly string[];
}

/**
 * A legacy key translated when it appears in a loaded dict (Python `BnConfig.__setattr__`): if the value is
 * truthy it must be a dict, and each listed sub-key is copied to the named field; the legacy key itself is not
 * kept. Map of sub-key to field name.
 */
export type LegacyKeyTranslation = Readonly<Record<string, string>>;

/** The declaration of a config class, the argument of {@link defineConfigClass}. */
export interface ConfigClassSpec {
  /** Python class name, e.g. `LoRAConfig`. Unique within a registry. */
  readonly className: string;
  /** Parent class; its fields (in order), defaults, class attributes and rules are inherited. */
  readonly extends?: ConfigClass;
  /** Marker classes this class also is (Python multiple inheritance of field-less classes, e.g. `MultiTaskConfig`). */
  readonly mixins?: readonly ConfigClass[];
  /** An abstract class cannot be instantiated (Python `AdapterConfig`, `MultiTaskConfig`). */
  readonly abstract?: boolean;
  /**
   * A string makes `architecture` a serialized field with that default (`"lora"`); `null` means no
   * `architecture` key in the JSON (a class attribute `None`, the bottleneck family). Omitted: inherited.
   */
  readonly architecture?: string | null;
  /** New fields without a default, in declaration order; they come before all defaulted fields (as in Python). */
  readonly required?: readonly string[];
  /**
   * Fields with defaults in Python declaration order: new names are appended, names of inherited fields
   * override the default in place (Python dataclass semantics). May list `architecture` to fix its position.
   */
  readonly fields?: Readonly<Record<string, JsonValue>>;
  /** Un-annotated class attributes: readable with `configGet`, not serialized, not constructor arguments. */
  readonly classAttributes?: Readonly<Record<string, JsonValue>>;
  /** Union compatibility rule for configs of this class (inherited). */
  readonly unionCompatible?: UnionCompatibility;
  /** Legacy keys translated on load (inherited, merged). */
  readonly legacyKeys?: Readonly<Record<string, LegacyKeyTranslation>>;
}

/** A defined config class (immutable data). Create with {@link defineConfigClass}. */
export interface ConfigClass {
  /** Python class name. */
  readonly className: string;
  /** Parent class, if any. */
  readonly parent: ConfigClass | undefined;
  /** Marker classes. */
  readonly mixins: readonly ConfigClass[];
  /** Whether the class cannot be instantiated. */
  readonly abstract: boolean;
  /** Default architecture (`null` for the bottleneck family and fusion configs). */
  readonly architecture: string | null;
  /** Whether `architecture` is a serialized field (else a class attribute). */
  readonly architectureIsField: boolean;
  /** All fields in Python dataclass order. */
  readonly fieldNames: readonly string[];
  /** Fields without a default. */
  readonly required: readonly string[];
  /** Defaults of the fields that have one. */
  readonly defaults: Readonly<Record<string, JsonValue>>;
  /** Class attributes including inherited ones (and `architecture` when it is not a field). */
  readonly classAttributes: Readonly<Record<string, JsonValue>>;
  /** Union compatibility rule, if any. */
  readonly unionCompatible: UnionCompatibility | undefined;
  /** Legacy key translations. */
  readonly legacyKeys: Readonly<Record<string, LegacyKeyTranslation>>;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Defines a config class from data (Python `@dataclass` semantics for field order, defaults and inheritance).
 * Does not register it: see `registerConfigClass`.
 */
export function defineConfigClass(spec: ConfigClassSpec): ConfigClass {
  const { className } = spec;
  if (typeof className !== 'string' || className === '') throw new AdapterConfigError('className must be a non-empty string');
  const parent = spec.extends;
  const fieldNames: string[] = parent ? [...parent.fieldNames] : [];
  const defaults: Record<string, JsonValue> = {};
  if (parent) for (const [k, v] of Object.entries(parent.defaults)) setOwnProperty(defaults, k, v);
  const required = new Set<string>(parent?.required ?? []);

  let architecture: string | null = parent?.architecture ?? null;
  let architectureIsField = parent?.architectureIsField ?? false;
  if (spec.architecture !== undefined) {
    if (spec.architecture === null) {
      if (architectureIsField) {
        throw new AdapterConfigError(`${className}: cannot drop the architecture field inherited from ${parent?.className}`, 'architecture');
      }
      architecture = null;
    } else {
      architecture = spec.architecture;
      architectureIsField = true;
    }
  }

  for (const name of spec.required ?? []) {
    if (fieldNames.includes(name)) {
      throw new AdapterConfigError(`${className}: required field '${name}' is already declared by a parent class`, name);
    }
    fieldNames.push(name);
    required.add(name);
  }
  const firstNewDefault = fieldNames.length;
  const specFields = spec.fields ?? {};
  for (const [name, value] of Object.entries(specFields)) {
    const v = toJsonValue(value, name);
    if (!fieldNames.includes(name)) fieldNames.push(name);
    setOwnProperty(defaults, name, v);
    required.delete(name);
  }
  if (architectureIsField) {
    if (hasOwn(specFields, 'architecture') && spec.architecture !== undefined && specFields['architecture'] !== spec.architecture) {
      throw new AdapterConfigError(`${className}: fields.architecture disagrees with architecture`, 'architecture');
    }
    if (spec.architecture === undefined && hasOwn(specFields, 'architecture')) {
      const a = specFields['architecture'];
      if (typeof a !== 'string') throw new AdapterConfigError(`${className}: architecture must be a string`, 'architecture');
      architecture = a;
    }
    if (!fieldNames.includes('architecture')) fieldNames.splice(firstNewDefault, 0, 'architecture');
    defaults['architecture'] = architecture;
    required.delete('architecture');
  }

  // Python: "non-default argument follows default argument".
  let seenDefault = false;
  for (const name of fieldNames) {
    if (required.has(name)) {
      if (seenDefault) throw new AdapterConfigError(`${className}: required field '${name}' follows a field with a default`, name);
    } else seenDefault = true;
  }

  const classAttributes: Record<string, JsonValue> = {};
  if (parent) for (const [k, v] of Object.entries(parent.classAttributes)) setOwnProperty(classAttributes, k, v);
  for (const [k, v] of Object.entries(spec.classAttributes ?? {})) {
    if (fieldNames.includes(k)) throw new AdapterConfigError(`${className}: class attribute '${k}' collides with a field`, k);
    setOwnProperty(classAttributes, k, toJsonValue(v, k));
  }
  if (architectureIsField) delete classAttributes['architecture'];
  else classAttributes['architecture'] = architecture;

  const legacyKeys: Record<string, LegacyKeyTranslation> = { ...(parent?.legacyKeys ?? {}) };
  for (const [k, t] of Object.entries(spec.legacyKeys ?? {})) legacyKeys[k] = Object.freeze({ ...t });

  return Object.freeze({
    className,
    parent,
    mixins: Object.freeze([...(spec.mixins ?? [])]),
    abstract: spec.abstract ?? false,
    architecture,
    architectureIsField,
    fieldNames: Object.freeze(fieldNames),
    required: Object.freeze(fieldNames.filter((f) => required.has(f))),
    defaults: Object.freeze(defaults),
    classAttributes: Object.freeze(classAttributes),
    unionCompatible: spec.unionCompatible ?? parent?.unionCompatible,
    legacyKeys: Object.freeze(legacyKeys),
  });
}

/** Whether `cls` is `base` or inherits from it (by identity or class name, through parents and mixins). */
export function isSubclassOf(cls: ConfigClass, base: ConfigClass | string): boolean {
  const name = typeof base === 'string' ? base : base.className;
  const visit = (c: ConfigClass | undefined): boolean => {
    if (!c) return false;
    if (c === base || c.className === name) return true;
    return visit(c.parent) || c.mixins.some((m) => visit(m));
  };
  return visit(cls);
}

/**
 * An immutable instance of a (non-union) config class. `values` holds every dataclass field (what Python's
 * `to_dict()` returns); `extra` holds attributes that are not fields (unknown keys of a loaded dict, or ones added
 * with `configWithExtra`): Python keeps them on the instance, iterates and hashes them, but does not serialize
 * them. Everything is deeply frozen.
 */
export interface AdapterConfig {
  /** Discriminator against `ConfigUnion`. */
  readonly kind: 'config';
  /** Python class name. */
  readonly className: string;
  /** The class (fields, class attributes, rules). */
  readonly configClass: ConfigClass;
  /** Field values in Python field order. */
  readonly values: Readonly<Record<string, JsonValue>>;
  /** Extra (non-field) attributes in insertion order. */
  readonly extra: Readonly<Record<string, JsonValue>>;
}

const CONFIGS = new WeakSet<object>();

/** Whether `x` is an {@link AdapterConfig} created by this module. */
export function isAdapterConfig(x: unknown): x is AdapterConfig {
  return typeof x === 'object' && x !== null && CONFIGS.has(x);
}

function make(cls: ConfigClass, values: Record<string, JsonValue>, extra: Record<string, JsonValue>): AdapterConfig {
  const c: AdapterConfig = Object.freeze({
    kind: 'config' as const,
    className: cls.className,
    configClass: cls,
    values: Object.freeze(values),
    extra: Object.freeze(extra),
  });
  CONFIGS.add(c);
  markNotJson(c, `a ${cls.className} instance`);
  return c;
}

/**
 * Python `SomeConfig(**kwargs)`: every key must be a field (else {@link AdapterConfigError} naming it, Python's
 * `TypeError: unexpected keyword argument`), required fields must be given. `undefined` values are skipped;
 * `null` is Python `None`.
 */
export function createConfig(cls: ConfigClass, kwargs: Readonly<Record<string, JsonValue | undefined>> = {}): AdapterConfig {
  if (cls.abstract) throw new AdapterConfigError(`${cls.className} is an abstract class and cannot be instantiated`);
  const given: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(kwargs)) {
    if (v === undefined) continue;
    if (!cls.fieldNames.includes(k)) {
      throw new AdapterConfigError(`${cls.className}.__init__() got an unexpected keyword argument '${k}'`, k);
    }
    setOwnProperty(given, k, toJsonValue(v, k));
  }
  const values: Record<string, JsonValue> = {};
  for (const f of cls.fieldNames) {
    if (hasOwn(given, f)) setOwnProperty(values, f, given[f] as JsonValue);
    else if (hasOwn(cls.defaults, f)) setOwnProperty(values, f, cls.defaults[f] as JsonValue);
    else throw new AdapterConfigError(`${cls.className}.__init__() missing required argument '${f}'`, f);
  }
  return make(cls, values, {});
}

/** Options for loading configs from dicts. */
export interface FromDictOptions {
  /** Receives a warning for each unknown key kept as an extra attribute (default `console.warn`). */
  warn?: WarnFn;
}

/**
 * Python `SomeConfig.from_dict(d)`: field keys go to the constructor; other keys become extra attributes
 * (with a warning), except legacy keys, which are translated (e.g. `invertible_adapter`). Passing a config
 * instance returns it unchanged (as Python does).
 */
export function configFromDict(cls: ConfigClass, dict: unknown, options: FromDictOptions = {}): AdapterConfig {
  if (isAdapterConfig(dict)) return dict;
  const d = toJsonValue(dict, 'config');
  if (!isJsonObject(d)) throw new AdapterConfigError(`a ${cls.className} must be loaded from a dict`);
  const kwargs: Record<string, JsonValue> = {};
  const extras: Array<[string, JsonValue]> = [];
  for (const [k, v] of Object.entries(d)) {
    if (cls.fieldNames.includes(k)) setOwnProperty(kwargs, k, v);
    else extras.push([k, v]);
  }
  const base = createConfig(cls, kwargs);
  if (extras.length === 0) return base;
  const warn = options.warn ?? defaultWarn;
  return withExtras(base, extras, (k) => {
    if (!hasOwn(cls.classAttributes, k)) {
      warn(`${cls.className}: unknown config key '${k}' is kept as an extra attribute (not validated, not saved)`);
    }
  });
}

function withExtras(c: AdapterConfig, extras: ReadonlyArray<readonly [string, JsonValue]>, onExtra?: (key: string) => void): AdapterConfig {
  const cls = c.configClass;
  const values: Record<string, JsonValue> = { ...c.values };
  const extra: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(c.extra)) setOwnProperty(extra, k, v);
  for (const [k, v] of extras) {
    const legacy = cls.legacyKeys[k];
    if (legacy !== undefined) {
      if (!pyTruthy(v)) continue;
      if (!isJsonObject(v)) throw new AdapterConfigError(`legacy key '${k}' must be a dict`, k);
      for (const [sub, target] of Object.entries(legacy)) {
        if (!hasOwn(v, sub)) throw new AdapterConfigError(`legacy key '${k}' lacks '${sub}'`, k);
        values[target] = v[sub] as JsonValue;
      }
      continue;
    }
    if (hasOwn(values, k) || hasOwn(extra, k)) {
      throw new AdapterConfigError(`${cls.className}: attribute '${k}' is already set (configs are frozen)`, k);
    }
    onExtra?.(k);
    setOwnProperty(extra, k, v);
  }
  return make(cls, values, extra);
}

/**
 * Python `config.new_attr = value` on a frozen config: returns a copy with extra attributes added. Existing
 * fields and extras cannot be changed ({@link AdapterConfigError}, Python `FrozenInstanceError`); names of class
 * attributes may be shadowed (e.g. `subtract_projection`); legacy keys are translated.
 */
export function configWithExtra(c: AdapterConfig, extras: Readonly<Record<string, JsonValue>>): AdapterConfig {
  return withExtras(
    c,
    Object.entries(extras).map(([k, v]) => [k, toJsonValue(v, k)] as const),
  );
}

/** @internal Single-config `to_dict()` (fields; extras only on request). */
export function singleToDict(c: AdapterConfig, includeExtra: boolean): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(c.values)) setOwnProperty(out, k, cloneJsonValue(v));
  if (includeExtra) for (const [k, v] of Object.entries(c.extra)) setOwnProperty(out, k, cloneJsonValue(v));
  return out;
}

/** @internal Attribute lookup: fields, extras, then class attributes. */
export function singleGet(c: AdapterConfig, key: string): JsonValue | undefined {
  if (hasOwn(c.values, key)) return c.values[key];
  if (hasOwn(c.extra, key)) return c.extra[key];
  if (hasOwn(c.configClass.classAttributes, key)) return c.configClass.classAttributes[key];
  return undefined;
}

/** @internal Python `dataclasses.replace`: unknown field → error; extras are dropped (a fresh instance). */
export function singleReplace(c: AdapterConfig, changes: Readonly<Record<string, JsonValue | undefined>>): AdapterConfig {
  const kwargs: Record<string, JsonValue | undefined> = {};
  for (const [k, v] of Object.entries(c.values)) setOwnProperty(kwargs, k, v);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) continue;
    if (!c.configClass.fieldNames.includes(k)) {
      throw new AdapterConfigError(`${c.className}.__init__() got an unexpected keyword argument '${k}'`, k);
    }
    setOwnProperty(kwargs, k, v);
  }
  return createConfig(c.configClass, kwargs);
}

/** @internal Mapping items: fields then extras. */
export function singleItems(c: AdapterConfig): Array<[string, JsonValue]> {
  return [...Object.entries(c.values), ...Object.entries(c.extra)];
}
