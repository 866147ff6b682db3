/**
 * A restricted, non-executing Python unpickler (protocols 0-5 binary opcodes, everything
 * `torch.save` emits). Nothing is ever imported or called: a GLOBAL is only accepted when the
 * caller's allow list names it, and REDUCE / BUILD / persistent ids are handed to caller hooks that
 * decide what (if anything) they mean. Every error is an {@link AdapterFormatError} naming the
 * byte offset of the opcode at fault.
 */
import { AdapterFormatError } from '../errors';

/** A Python tuple (kept distinct from lists, which are plain arrays). */
export class PickleTuple {
  constructor(readonly items: readonly unknown[]) {}
}

/** A reference to an allow-listed Python global `module.name` (never resolved or called). */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  /** `module.name`. */
  get fullName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** What the unpickler delegates to its caller. `at` is the error location (`byte N`). */
export interface UnpickleHooks {
  /** Name of the file being read, for error messages (default `<buffer>`). */
  file?: string;
  /** Fully qualified names (`module.name`) that GLOBAL / STACK_GLOBAL may reference. */
  allowedGlobals: ReadonlySet<string>;
  /** Interprets `callable(*args)` (REDUCE); without it every REDUCE is rejected. */
  reduce?(callable: PickleGlobal, args: readonly unknown[], at: string): unknown;
  /** Interprets `obj.__setstate__(state)` (BUILD); returns the object that replaces `obj`. */
  build?(obj: unknown, state: unknown, at: string): unknown;
  /** Resolves a persistent id (BINPERSID); without it persistent ids are rejected. */
  persistentLoad?(pid: unknown, at: string): unknown;
}

/** Opcode names, for error messages (including opcodes this reader refuses). */
const OPCODE_NAMES: Record<number, string> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x46: 'FLOAT', 0x49: 'INT',
  0x4a: 'BININT', 0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE', 0x50: 'PERSID',
  0x51: 'BINPERSID', 0x52: 'REDUCE', 0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING',
  0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x61: 'APPEND', 0x62: 'BUILD', 0x63: 'GLOBAL', 0x64: 'DICT',
  0x7d: 'EMPTY_DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET', 0x69: 'INST', 0x6a: 'LONG_BINGET',
  0x6c: 'LIST', 0x5d: 'EMPTY_LIST', 0x6f: 'OBJ', 0x70: 'PUT', 0x71: 'BINPUT', 0x72: 'LONG_BINPUT',
  0x73: 'SETITEM', 0x74: 'TUPLE', 0x29: 'EMPTY_TUPLE', 0x75: 'SETITEMS', 0x47: 'BINFLOAT', 0x80: 'PROTO',
  0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x85: 'TUPLE1', 0x86: 'TUPLE2', 0x87: 'TUPLE3',
  0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x8a: 'LONG1', 0x8b: 'LONG4', 0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES',
  0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET', 0x90: 'ADDITEMS',
  0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Unpickles `bytes` without executing anything.
 * @throws AdapterFormatError for unknown or refused opcodes, globals outside the allow list,
 * truncated data, malformed stacks, and whatever the hooks reject.
 */
export function unpickle(bytes: Uint8Array, hooks: UnpickleHooks): unknown {
  return new Unpickler(bytes, hooks).run();
}

class Unpickler {
  private pos = 0;
  private op = 0;
  private stack: unknown[] = [];
  private marks: number[] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly view: DataView;
  private readonly file: string;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly hooks: UnpickleHooks,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.file = hooks.file ?? '<buffer>';
  }

  private fail(message: string, at = this.op): never {
    throw new AdapterFormatError(this.file, message, `byte ${at}`);
  }

  private opName(code: number): string {
    return OPCODE_NAMES[code] ?? `0x${code.toString(16).padStart(2, '0')}`;
  }

  private need(n: number): number {
    if (!(n >= 0) || this.pos + n > this.bytes.length) {
      this.fail(`truncated pickle: ${this.opName(this.bytes[this.op]!)} needs ${n} bytes at byte ${this.pos}, file has ${this.bytes.length}`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  private u8(): number {
    return this.bytes[this.need(1)]!;
  }
  private u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  private u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  private u64(): number {
    const at = this.need(8);
    const hi = this.view.getUint32(at + 4, true);
    return hi * 2 ** 32 + this.view.getUint32(at, true);
  }

  private pop(): unknown {
    if (this.stack.length <= (this.marks.at(-1) ?? 0)) this.fail(`${this.opName(this.bytes[this.op]!)} on an empty stack`);
    return this.stack.pop();
  }
  private top(): unknown {
    if (this.stack.length <= (this.marks.at(-1) ?? 0)) this.fail(`${this.opName(this.bytes[this.op]!)} on an empty stack`);
    return this.stack[this.stack.length - 1];
  }
  private popMark(): unknown[] {
    const mark = this.marks.pop();
    if (mark === undefined) this.fail(`${this.opName(this.bytes[this.op]!)} without a MARK`);
    return this.stack.splice(mark);
  }

  private text(n: number): string {
    const at = this.need(n);
    try {
      return utf8.decode(this.bytes.subarray(at, at + n));
    } catch {
      return this.fail('string is not valid UTF-8');
    }
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.fail('truncated pickle: unterminated text line');
    const s = this.text(end - this.pos);
    this.pos++;
    return s;
  }

  private global(module: string, name: string): PickleGlobal {
    const full = `${module}.${name}`;
    if (!this.hooks.allowedGlobals.has(full)) this.fail(`forbidden global ${full} (not on the allow list)`);
    return new PickleGlobal(module, name);
  }

  private long(n: number): number | bigint {
    if (n > 256) this.fail(`integer of ${n} bytes is too large`);
    const at = this.need(n);
    if (n === 0) return 0;
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[at + i]!);
    if (this.bytes[at + n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  private setItems(target: unknown, kv: readonly unknown[]): void {
    if (!(target instanceof Map)) this.fail('SETITEM(S) on something that is not a dict');
    if (kv.length % 2) this.fail('SETITEMS with an odd number of items');
    for (let i = 0; i < kv.length; i += 2) {
      const k = kv[i];
      const t = typeof k;
      if (!(k === null || t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean')) {
        this.fail('unsupported dict key type (only str, int, float, bool and None keys are supported)');
      }
      target.set(k, kv[i + 1]);
    }
  }

  private append(target: unknown, items: readonly unknown[]): void {
    if (!Array.isArray(target)) this.fail('APPEND(S) on something that is not a list');
    for (const x of items) target.push(x);
  }

  run(): unknown {
    const b = this.bytes;
    while (this.pos < b.length) {
      this.op = this.pos;
      const code = b[this.pos++]!;
      const at = `byte ${this.op}`;
      switch (code) {
        case 0x80: { // PROTO
          const v = this.u8();
          if (v > 5) this.fail(`unsupported pickle protocol ${v}`);
          break;
        }
        case 0x95: // FRAME
          if (this.u64() > b.length - this.pos) this.fail('FRAME length exceeds the data');
          break;
        case 0x2e: // STOP
          if (this.marks.length) this.fail('STOP with an open MARK');
          return this.pop();
        case 0x28: // MARK
          this.marks.push(this.stack.length);
          break;
        case 0x30: // POP
          this.pop();
          break;
        case 0x31: // POP_MARK
          this.popMark();
          break;
        case 0x32: // DUP
          this.stack.push(this.top());
          break;
        case 0x4e: // NONE
          this.stack.push(null);
          break;
        case 0x88: // NEWTRUE
          this.stack.push(true);
          break;
        case 0x89: // NEWFALSE
          this.stack.push(false);
          break;
        case 0x4a: // BININT
          this.stack.push(this.view.getInt32(this.need(4), true));
          break;
        case 0x4b: // BININT1
          this.stack.push(this.u8());
          break;
        case 0x4d: // BININT2
          this.stack.push(this.u16());
          break;
        case 0x8a: // LONG1
          this.stack.push(this.long(this.u8()));
          break;
        case 0x8b: { // LONG4
          const n = this.view.getInt32(this.need(4), true);
          if (n < 0) this.fail('negative LONG4 length');
          this.stack.push(this.long(n));
          break;
        }
        case 0x47: // BINFLOAT (big-endian)
          this.stack.push(this.view.getFloat64(this.need(8), false));
          break;
        case 0x58: // BINUNICODE
          this.stack.push(this.text(this.u32()));
          break;
        case 0x8c: // SHORT_BINUNICODE
          this.stack.push(this.text(this.u8()));
          break;
        case 0x8d: // BINUNICODE8
          this.stack.push(this.text(this.u64()));
          break;
        case 0x43: // SHORT_BINBYTES
        case 0x42: // BINBYTES
        case 0x8e: { // BINBYTES8
          const n = code === 0x43 ? this.u8() : code === 0x42 ? this.u32() : this.u64();
          const s = this.need(n);
          this.stack.push(b.slice(s, s + n));
          break;
        }
        case 0x7d: // EMPTY_DICT
          this.stack.push(new Map());
          break;
        case 0x5d: // EMPTY_LIST
          this.stack.push([]);
          break;
        case 0x29: // EMPTY_TUPLE
          this.stack.push(new PickleTuple([]));
          break;
        case 0x74: // TUPLE
          this.stack.push(new PickleTuple(this.popMark()));
          break;
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: { // TUPLE3
          const n = code - 0x84;
          const items: unknown[] = [];
          for (let i = 0; i < n; i++) items.unshift(this.pop());
          this.stack.push(new PickleTuple(items));
          break;
        }
        case 0x6c: // LIST
          this.stack.push(this.popMark());
          break;
        case 0x64: { // DICT
          const d = new Map();
          this.setItems(d, this.popMark());
          this.stack.push(d);
          break;
        }
        case 0x61: { // APPEND
          const v = this.pop();
          this.append(this.top(), [v]);
          break;
        }
        case 0x65: { // APPENDS
          const items = this.popMark();
          this.append(this.top(), items);
          break;
        }
        case 0x73: { // SETITEM
          const v = this.pop();
          const k = this.pop();
          this.setItems(this.top(), [k, v]);
          break;
        }
        case 0x75: { // SETITEMS
          const kv = this.popMark();
          this.setItems(this.top(), kv);
          break;
        }
        case 0x71: // BINPUT
          this.memo.set(this.u8(), this.top());
          break;
        case 0x72: // LONG_BINPUT
          this.memo.set(this.u32(), this.top());
          break;
        case 0x94: // MEMOIZE
          this.memo.set(this.memo.size, this.top());
          break;
        case 0x68: // BINGET
        case 0x6a: { // LONG_BINGET
          const i = code === 0x68 ? this.u8() : this.u32();
          if (!this.memo.has(i)) this.fail(`memo key ${i} is not defined`);
          this.stack.push(this.memo.get(i));
          break;
        }
        case 0x63: { // GLOBAL
          const module = this.line();
          const name = this.line();
          this.stack.push(this.global(module, name));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL needs two strings');
          this.stack.push(this.global(module, name));
          break;
        }
        case 0x52: { // REDUCE
          const args = this.pop();
          const fn = this.pop();
          if (!(fn instanceof PickleGlobal)) this.fail('REDUCE of something that is not an allow-listed global');
          if (!(args instanceof PickleTuple)) this.fail(`REDUCE of ${fn.fullName} without an argument tuple`);
          if (!this.hooks.reduce) this.fail(`calling ${fn.fullName} is not supported`);
          this.stack.push(this.hooks.reduce(fn, args.items, at));
          break;
        }
        case 0x62: { // BUILD
          const state = this.pop();
          const obj = this.pop();
          if (!this.hooks.build) this.fail('BUILD is not supported');
          this.stack.push(this.hooks.build(obj, state, at));
          break;
        }
        case 0x51: { // BINPERSID
          const pid = this.pop();
          if (!this.hooks.persistentLoad) this.fail('persistent ids are not supported');
          this.stack.push(this.hooks.persistentLoad(pid, at));
          break;
        }
        default:
          this.fail(
            OPCODE_NAMES[code]
              ? `pickle opcode ${OPCODE_NAMES[code]} (0x${code.toString(16)}) is not allowed`
              : `unknown pickle opcode 0x${code.toString(16).padStart(2, '0')}`,
          );
      }
    }
    return this.fail('truncated pickle: no STOP opcode', this.pos);
  }
}
