/**
 * A parser for the subset of Python literals (`ast.literal_eval`) that can appear in adapter config strings
 * and be represented as JSON: ints (decimal, `0x`, `0o`, `0b`, `_` separators), floats (`1.0`, `.5`, `5.`,
 * `1e-4`), an optional `+`/`-` sign directly on a number, strings (`'`, `"`, triple quotes, `r`/`u` prefixes,
 * all Python escapes except `\N{...}`, implicit concatenation of adjacent literals), `True`/`False`/`None`,
 * lists, tuples (as arrays) and dicts with string or int keys (int keys become their decimal string, as
 * `json.dumps` writes them).
 *
 * Rejected with {@link AdapterConfigError}: names and calls (`dict(default=1)`, `inf`), operators, and the
 * literals Python accepts but JSON cannot hold (complex numbers, bytes, sets, `...`).
 */

import { AdapterConfigError } from '../errors';
import { PyFloat, setOwnProperty, type JsonValue } from './python-value';

const DIGITPART = '[0-9](?:_?[0-9])*';
const EXPONENT = `[eE][-+]?${DIGITPART}`;
const POINTFLOAT = `(?:(?:${DIGITPART})?\\.${DIGITPART}|${DIGITPART}\\.)`;
const FLOAT_RE = new RegExp(`(?:${POINTFLOAT}(?:${EXPONENT})?|${DIGITPART}${EXPONENT})`, 'y');
const INT_RE = /0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0+(?:_?0)*/y;
const NAME_RE = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/uy;
const IDENT_CHAR_RE = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;
const STRING_PREFIX_RE = /(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])?(?='|")/y;

type KeyKind = 'str' | 'int';

/** Parses one Python literal expression; throws {@link AdapterConfigError} for anything outside the subset. */
export function parsePythonLiteral(source: string): JsonValue {
  return new LiteralParser(source).parseAll();
}

class LiteralParser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly src: string) {}

  private fail(msg: string, at = this.pos): never {
    throw new AdapterConfigError(`invalid Python literal ${JSON.stringify(this.src)}: ${msg} at offset ${at}`);
  }

  parseAll(): JsonValue {
    // ast.literal_eval strips leading spaces and tabs before parsing.
    this.skipBlankLines();
    const v = this.parseValue();
    this.skipBlankLines();
    if (this.pos < this.src.length) this.fail('unexpected trailing input');
    return v;
  }

  /** Whitespace, comments and newlines around the top-level expression (blank lines are fine in eval mode). */
  private skipBlankLines(): void {
    for (;;) {
      this.skipWs();
      const c = this.src[this.pos];
      if (c === '\n' || c === '\r') this.pos++;
      else return;
    }
  }

  /** Skips whitespace; newlines only inside brackets (implicit line joining), comments, backslash continuations. */
  private skipWs(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\f') this.pos++;
      else if ((c === '\n' || c === '\r') && this.depth > 0) this.pos++;
      else if (c === '\\' && (s[this.pos + 1] === '\n' || s[this.pos + 1] === '\r')) {
        this.pos += s[this.pos + 1] === '\r' && s[this.pos + 2] === '\n' ? 3 : 2;
      } else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n' && s[this.pos] !== '\r') this.pos++;
      } else return;
    }
  }

  private parseValue(): JsonValue {
    this.skipWs();
    const s = this.src;
    const c = s[this.pos];
    if (c === undefined) this.fail('unexpected end of input');
    if (c === '+' || c === '-') {
      const signAt = this.pos;
      this.pos++;
      this.skipWs();
      const n = this.tryNumber();
      if (n === undefined) this.fail(`'${c}' may only prefix a number literal`, signAt);
      if (c === '+') return n;
      if (n instanceof PyFloat) return new PyFloat(-n.value);
      return n === 0 ? 0 : -n; // a plain integral number is an int, and Python ints have no -0
    }
    if (c === '[') return this.parseList();
    if (c === '(') return this.parseParen();
    if (c === '{') return this.parseBrace();
    const n = this.tryNumber();
    if (n !== undefined) return n;
    STRING_PREFIX_RE.lastIndex = this.pos;
    const pm = STRING_PREFIX_RE.exec(s);
    if (pm) return this.parseStrings();
    if (s.startsWith('...', this.pos)) this.fail('Ellipsis is not supported');
    NAME_RE.lastIndex = this.pos;
    const nm = NAME_RE.exec(s);
    if (nm) {
      const name = nm[0];
      if (name === 'True' || name === 'False' || name === 'None') {
        this.pos += name.length;
        return name === 'True' ? true : name === 'False' ? false : null;
      }
      this.fail(`names and calls are not literals (got '${name}')`);
    }
    return this.fail(`unexpected character '${c}'`);
  }

  private tryNumber(): number | PyFloat | undefined {
    const s = this.src;
    const c = s[this.pos];
    if (c === undefined || !/[0-9.]/.test(c)) return undefined;
    if (c === '.' && !/[0-9]/.test(s[this.pos + 1] ?? '')) return undefined;
    const start = this.pos;
    FLOAT_RE.lastIndex = start;
    const fm = FLOAT_RE.exec(s);
    INT_RE.lastIndex = start;
    const im = INT_RE.exec(s);
    let value: number | PyFloat;
    let end: number;
    if (fm && (!im || fm[0].length >= im[0].length)) {
      end = start + fm[0].length;
      const x = Number(fm[0].replace(/_/g, ''));
      value = Number.isInteger(x) ? new PyFloat(x) : x;
    } else if (im) {
      end = start + im[0].length;
      const text = im[0].replace(/_/g, '');
      const big = BigInt(text);
      value = Number(big);
      if (BigInt(value) !== big) this.fail(`integer ${im[0]} cannot be represented exactly by a JS number`, start);
    } else {
      return this.fail('invalid number literal', start);
    }
    const next = s[end];
    if (next === 'j' || next === 'J') this.fail('complex numbers are not supported', start);
    if (next !== undefined && (IDENT_CHAR_RE.test(next) || /[0-9_.]/.test(next))) {
      this.fail('invalid number literal', start);
    }
    this.pos = end;
    return value;
  }

  private parseStrings(): string {
    let out = this.parseOneString();
    for (;;) {
      const save = this.pos;
      this.skipWs();
      STRING_PREFIX_RE.lastIndex = this.pos;
      if (this.pos < this.src.length && STRING_PREFIX_RE.exec(this.src)) out += this.parseOneString();
      else {
        this.pos = save;
        return out;
      }
    }
  }

  private parseOneString(): string {
    const s = this.src;
    const start = this.pos;
    STRING_PREFIX_RE.lastIndex = start;
    const pm = STRING_PREFIX_RE.exec(s);
    const prefix = (pm?.[0] ?? '').toLowerCase();
    if (prefix.includes('b')) this.fail('bytes literals are not supported', start);
    if (prefix.includes('f')) this.fail('f-strings are not literals', start);
    const raw = prefix.includes('r');
    this.pos += prefix.length;
    const q = s[this.pos] as '"' | "'";
    const triple = s.startsWith(q.repeat(3), this.pos);
    const close = triple ? q.repeat(3) : q;
    this.pos += close.length;
    let out = '';
    for (;;) {
      if (this.pos >= s.length) this.fail('unterminated string literal', start);
      if (s.startsWith(close, this.pos)) {
        this.pos += close.length;
        return out;
      }
      const c = s[this.pos] as string;
      if (!triple && (c === '\n' || c === '\r')) this.fail('unterminated string literal', start);
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = s[this.pos + 1];
      if (e === undefined) this.fail('unterminated string literal', start);
      if (raw) {
        // In raw strings a backslash escapes nothing but still keeps the next character in the literal.
        out += c + e;
        this.pos += 2;
        continue;
      }
      this.pos += 2;
      switch (e) {
        case '\n':
          break;
        case '\r':
          if (s[this.pos] === '\n') this.pos++;
          break;
        case '\\':
        case "'":
        case '"':
          out += e;
          break;
        case 'a':
          out += '\x07';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'v':
          out += '\v';
          break;
        case 'x':
        case 'u':
        case 'U': {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const h = s.slice(this.pos, this.pos + len);
          if (h.length !== len || !/^[0-9a-fA-F]+$/.test(h)) this.fail(`truncated \\${e} escape`, this.pos - 2);
          const cp = parseInt(h, 16);
          if (cp > 0x10ffff) this.fail(`illegal Unicode character in \\${e} escape`, this.pos - 2);
          out += String.fromCodePoint(cp);
          this.pos += len;
          break;
        }
        case 'N':
          this.fail('\\N{...} named escapes are not supported', this.pos - 2);
          break;
        default:
          if (e >= '0' && e <= '7') {
            let oct = e;
            while (oct.length < 3 && /[0-7]/.test(s[this.pos] ?? '')) oct += s[this.pos++];
            out += String.fromCodePoint(parseInt(oct, 8));
          } else {
            out += `\\${e}`; // unknown escapes keep the backslash
          }
      }
    }
  }

  private parseList(): JsonValue[] {
    this.pos++;
    this.depth++;
    const items = this.parseItems(']');
    this.depth--;
    return items;
  }

  private parseItems(close: string): JsonValue[] {
    const items: JsonValue[] = [];
    for (;;) {
      this.skipWs();
      if (this.src[this.pos] === close) {
        this.pos++;
        return items;
      }
      items.push(this.parseValue());
      this.skipWs();
      const c = this.src[this.pos];
      if (c === ',') this.pos++;
      else if (c !== close) this.fail(`expected ',' or '${close}'`);
    }
  }

  private parseParen(): JsonValue {
    this.pos++;
    this.depth++;
    this.skipWs();
    if (this.src[this.pos] === ')') {
      this.pos++;
      this.depth--;
      return [];
    }
    const first = this.parseValue();
    this.skipWs();
    if (this.src[this.pos] === ')') {
      this.pos++;
      this.depth--;
      return first; // parenthesized expression, not a tuple
    }
    if (this.src[this.pos] !== ',') this.fail("expected ',' or ')'", this.pos);
    this.pos++;
    const rest = this.parseItems(')');
    this.depth--;
    return [first, ...rest];
  }

  private parseBrace(): JsonValue {
    this.pos++;
    this.depth++;
    const obj: Record<string, JsonValue> = {};
    const kinds = new Map<string, KeyKind>();
    this.skipWs();
    if (this.src[this.pos] === '}') {
      this.pos++;
      this.depth--;
      return obj;
    }
    for (let first = true; ; first = false) {
      this.skipWs();
      if (this.src[this.pos] === '}') {
        this.pos++;
        this.depth--;
        return obj;
      }
      if (this.src.startsWith('**', this.pos)) this.fail('dict unpacking is not a literal');
      const keyAt = this.pos;
      const key = this.parseValue();
      this.skipWs();
      if (this.src[this.pos] !== ':') {
        if (first && (this.src[this.pos] === ',' || this.src[this.pos] === '}')) this.fail('sets are not supported', keyAt);
        this.fail("expected ':'");
      }
      this.pos++;
      const value = this.parseValue();
      let k: string;
      let kind: KeyKind;
      if (typeof key === 'string') {
        k = key;
        kind = 'str';
      } else if (typeof key === 'number' && Number.isInteger(key)) {
        k = String(key);
        kind = 'int';
      } else {
        return this.fail('only string and int dict keys are supported', keyAt);
      }
      const prev = kinds.get(k);
      if (prev !== undefined && prev !== kind) this.fail(`dict keys ${k} and '${k}' collide in JSON`, keyAt);
      kinds.set(k, kind);
      setOwnProperty(obj, k, value);
      this.skipWs();
      const c = this.src[this.pos];
      if (c === ',') this.pos++;
      else if (c !== '}') this.fail("expected ',' or '}'");
    }
  }
}
