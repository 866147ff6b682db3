/**
 * Python's `a // b` on numbers: exact floor for ints, CPython's `float_floor_div` (fmod-based,
 * so `1 // 0.1 == 9.0`) for floats.
 */
export function pyFloorDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError('division by zero');
  if (Number.isInteger(a) && Number.isInteger(b) && Math.abs(a) < 2 ** 31 && Math.abs(b) < 2 ** 31) {
    return Math.floor(a / b);
  }
  let mod = a % b; // C fmod
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0 * (a / b); // signed zero as CPython
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv += 1;
  return floordiv;
}
