// Exact money arithmetic (planning-model.md): integer pence, FTE to 4 decimals, round only at the end
// of a sum, half away from zero. Sums are kept exact in sub-pence units and divided once.

export const fteScale = 10_000;

/** FTE as integer ten-thousandths (the schema allows at most 4 decimals). */
export function fteUnits(fte: number): number {
  return Math.round(fte * fteScale);
}

/** Half away from zero, for a number that is not an exact money sum (outcome values, expected values, draws). */
export function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value)) || 0;
}

/** numerator ÷ denominator, rounded half away from zero; denominator > 0. */
export function divideRounded(numerator: bigint, denominator: bigint): number {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  if (twiceRemainder < denominator) return Number(quotient);
  return Number(quotient + (numerator < 0n ? -1n : 1n));
}

/**
 * An exact running total of integer terms. Plain numbers while the total stays a safe integer (the
 * usual case, and fast), BigInt beyond that: sums over tens of thousands of posts stay exact.
 */
export class ExactTotal {
  private small = 0;
  private big = 0n;

  add(term: number): this {
    const sum = this.small + term;
    if (Math.abs(sum) <= Number.MAX_SAFE_INTEGER) this.small = sum;
    else {
      this.big += BigInt(this.small) + BigInt(term);
      this.small = 0;
    }
    return this;
  }

  /** Adds a × b for integers a, b. */
  addProduct(a: number, b: number): this {
    const product = a * b;
    if (Math.abs(product) <= Number.MAX_SAFE_INTEGER) return this.add(product);
    this.big += BigInt(a) * BigInt(b);
    return this;
  }

  addTotal(other: ExactTotal): this {
    this.big += other.big;
    return this.add(other.small);
  }

  copy(): ExactTotal {
    return new ExactTotal().addTotal(this);
  }

  value(): bigint {
    return this.big + BigInt(this.small);
  }

  /** The total ÷ denominator, rounded once, half away from zero. */
  dividedBy(denominator: number): number {
    return divideRounded(this.value(), BigInt(denominator));
  }
}

/** Σ fte × cost per FTE in pence, rounded once. */
export function staffCostPence(posts: Iterable<{ fte: number; annualCostPerFtePence: number }>): number {
  const total = new ExactTotal();
  for (const post of posts) total.addProduct(fteUnits(post.fte), post.annualCostPerFtePence);
  return total.dividedBy(fteScale);
}

/** a × b ÷ c in whole pence, for integers (c > 0), rounded once. */
export function scalePence(pence: number, numerator: number, denominator: number): number {
  const product = pence * numerator;
  if (Math.abs(product) > Number.MAX_SAFE_INTEGER) return divideRounded(BigInt(pence) * BigInt(numerator), BigInt(denominator));
  // Exact in doubles: the product is a safe integer, and % of integers is exact.
  const remainder = product % denominator;
  const quotient = (product - remainder) / denominator;
  if (2 * Math.abs(remainder) < denominator) return quotient || 0;
  return quotient + Math.sign(product);
}

/** An exact fraction of integers; denominator > 0. */
export interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

/**
 * A finite number as the decimal it is written as (its shortest round-trip text): 0.035 is 35/1000,
 * not the binary double nearest to it. Parameters such as the discount rate are typed as decimals.
 */
export function decimalFraction(value: number): Fraction {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`not a finite number: ${value}`);
  const [, sign, whole, decimals = '', exponentText = '0'] = match;
  const exponent = Number(exponentText) - decimals.length;
  const digits = BigInt(`${sign}${whole}${decimals}`);
  return exponent >= 0 ? { numerator: digits * 10n ** BigInt(exponent), denominator: 1n } : { numerator: digits, denominator: 10n ** BigInt(-exponent) };
}

/** Integer pence as pounds with two decimals, exactly (no floating point): -123456 → "-1234.56". */
export function poundsFromPence(pence: number): string {
  const digits = String(Math.abs(pence)).padStart(3, '0');
  return `${pence < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
