/**
 * Exact point arithmetic in integer hundredths. No binary floating point ever touches a score:
 * edition points (≤ 2 decimals, checked at load) become integers once, and ratios are computed
 * with integer division (BigInt when a product would leave the safe-integer range).
 */

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
// BigInt constants without literal syntax, so any bundler target accepts this file.
const B0 = BigInt(0);
const B2 = BigInt(2);
const B10 = BigInt(10);
const B100 = BigInt(100);

/** A JSON number with at most 2 decimals → integer hundredths (exact for such numbers). */
export function toHundredths(points: number): number {
  return Math.round(points * 100);
}

/** True when `x` is a finite number with at most 2 decimals (e.g. 7, 72.5, 1.02; not 1.015). */
export function hasAtMostTwoDecimals(x: number): boolean {
  if (!Number.isFinite(x)) return false;
  const h = Math.round(x * 100);
  return Number.isSafeInteger(h) && h / 100 === x;
}

/**
 * round_half_away_from_zero(maxH × numerator / denominator), all in hundredths.
 * Requires maxH ≥ 0, numerator ≥ 0, denominator > 0 (safe integers).
 * 700 × 29 / 200 = 101.5 → 102 (i.e. 7 × 29/200 = 1.015 → 1.02).
 */
export function ratioHundredths(maxH: number, numerator: number, denominator: number): number {
  const n = maxH * numerator;
  if (n <= (MAX_SAFE - denominator) / 2) {
    // floor((2n + d) / (2d)) == round half up of n/d for n ≥ 0.
    return Math.floor((2 * n + denominator) / (2 * denominator));
  }
  const N = BigInt(maxH) * BigInt(numerator);
  const D = BigInt(denominator);
  return Number((B2 * N + D) / (B2 * D));
}

/**
 * The exact decimal value, in points, of maxH × numerator / denominator hundredths, as digits:
 * 700 × 29 / 200 → { whole: "1", fraction: "015", truncated: false }.
 * At most `maxDigits` fraction digits; `truncated` says more (non-zero) digits follow.
 */
export function exactRatioDecimal(
  maxH: number,
  numerator: number,
  denominator: number,
  maxDigits = 4,
): { whole: string; fraction: string; truncated: boolean } {
  const n = maxH * numerator;
  const d = denominator * 100;
  if (Number.isSafeInteger(n) && d <= MAX_SAFE / 10) {
    const whole = Math.floor(n / d);
    let r = n - whole * d;
    let fraction = "";
    for (let i = 0; i < maxDigits && r !== 0; i++) {
      r *= 10;
      const q = Math.floor(r / d);
      fraction += String(q);
      r -= q * d;
    }
    return { whole: String(whole), fraction, truncated: r !== 0 };
  }
  const N = BigInt(maxH) * BigInt(numerator);
  const D = BigInt(denominator) * B100;
  const whole = N / D;
  let r = N - whole * D;
  let fraction = "";
  for (let i = 0; i < maxDigits && r !== B0; i++) {
    r *= B10;
    const q = r / D;
    fraction += q.toString();
    r -= q * D;
  }
  return { whole: whole.toString(), fraction, truncated: r !== B0 };
}
