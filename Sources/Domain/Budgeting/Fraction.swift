import BigInt

/// An exact, non-floating number: a numerator over a positive denominator, always in lowest terms, so that two
/// equal values are equal (and hash equal) whatever way they were computed. The allocation rules of a budget
/// round decide "still fits" and ties with it, the same on every machine (issue 15).
///
/// Most values fit machine integers; those are kept and computed as `Int` (every step checked for overflow)
/// and only values that do not fit use arbitrary-size integers. A value is stored small whenever it fits, so
/// equality and hashing stay exact.
public struct Fraction: Hashable, Comparable, Sendable, CustomStringConvertible {
    enum Storage: Hashable, Sendable {
        case small(Int, Int)
        case big(BigInt, BigInt)
    }

    let storage: Storage

    public var numerator: BigInt {
        switch storage {
        case .small(let n, _): return BigInt(n)
        case .big(let n, _): return n
        }
    }

    public var denominator: BigInt {
        switch storage {
        case .small(_, let d): return BigInt(d)
        case .big(_, let d): return d
        }
    }

    public init(_ numerator: BigInt, _ denominator: BigInt = 1) {
        precondition(denominator != 0, "a fraction needs a denominator other than zero")
        var n = numerator, d = denominator
        if d < 0 { n = -n; d = -d }
        if d != 1 {
            let g = n.greatestCommonDivisor(with: d)
            if g > 1 { n /= g; d /= g }
        }
        if let sn = Int(exactly: n), let sd = Int(exactly: d) { storage = .small(sn, sd) } else { storage = .big(n, d) }
    }

    /// Numerator and denominator already in lowest terms with a positive denominator (no GCD needed).
    init(reduced n: BigInt, _ d: BigInt) {
        if let sn = Int(exactly: n), let sd = Int(exactly: d) { storage = .small(sn, sd) } else { storage = .big(n, d) }
    }

    /// From machine integers, reduced; nil when the reduced value does not fit (only for Int.min corner cases).
    init?(small n: Int, _ d: Int) {
        guard d != 0, n != .min, d != .min else { return nil }
        var n = n, d = d
        if d < 0 { n = -n; d = -d }
        if d != 1 {
            let g = Self.gcd(n.magnitude, d.magnitude)
            if g > 1 { n /= Int(g); d /= Int(g) }
        }
        storage = .small(n, d)
    }

    public init(_ value: Int) { storage = .small(value, 1) }

    /// `numerator / denominator` from whole numbers.
    public init(_ numerator: Int, over denominator: Int) {
        self = Fraction(small: numerator, denominator) ?? Fraction(BigInt(numerator), BigInt(denominator))
    }

    public static let zero = Fraction(0)

    public var isZero: Bool {
        switch storage {
        case .small(let n, _): return n == 0
        case .big(let n, _): return n == 0
        }
    }

    static func gcd(_ a: UInt, _ b: UInt) -> UInt {
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    public static func + (a: Fraction, b: Fraction) -> Fraction {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            if ad == bd {
                let (sum, o) = an.addingReportingOverflow(bn)
                if !o, let r = Fraction(small: sum, ad) { return r }
            } else {
                let (x, o1) = an.multipliedReportingOverflow(by: bd)
                let (y, o2) = bn.multipliedReportingOverflow(by: ad)
                let (d, o3) = ad.multipliedReportingOverflow(by: bd)
                if !(o1 || o2 || o3) {
                    let (sum, o4) = x.addingReportingOverflow(y)
                    if !o4, let r = Fraction(small: sum, d) { return r }
                }
            }
        }
        // Large values: Knuth's addition (TAOCP 4.5.1), whose GCDs are of the denominators and of a small factor
        // rather than of the whole cross products, the costliest part of equal shares on large rounds.
        let (an, ad, bn, bd) = (a.numerator, a.denominator, b.numerator, b.denominator)
        let g = ad.greatestCommonDivisor(with: bd)
        if g == 1 {
            let t = an * bd + bn * ad
            return t == 0 ? .zero : Fraction(reduced: t, ad * bd)
        }
        let adg = ad / g
        let t = an * (bd / g) + bn * adg
        if t == 0 { return .zero }
        let g2 = t.greatestCommonDivisor(with: g)
        return Fraction(reduced: t / g2, adg * (bd / g2))
    }

    public static prefix func - (a: Fraction) -> Fraction {
        if case .small(let n, let d) = a.storage, n != .min { return Fraction(small: -n, d)! }
        return Fraction(reduced: -a.numerator, a.denominator) // the negation of lowest terms is in lowest terms
    }

    public static func - (a: Fraction, b: Fraction) -> Fraction { a + (-b) }

    public static func * (a: Fraction, k: Int) -> Fraction {
        if case .small(let n, let d) = a.storage {
            let (p, o) = n.multipliedReportingOverflow(by: k)
            if !o, let r = Fraction(small: p, d) { return r }
        }
        if k == 0 { return .zero }
        // Only the whole number's common factor with the denominator can cancel (the fraction is in lowest terms).
        let m = k.magnitude
        let r = UInt(a.denominator.magnitude % BigUInt(m))
        let g = BigInt(r == 0 ? m : gcd(m, r))
        return Fraction(reduced: a.numerator * (BigInt(k) / g), a.denominator / g)
    }

    public static func / (a: Fraction, k: Int) -> Fraction {
        if case .small(let n, let d) = a.storage {
            let (p, o) = d.multipliedReportingOverflow(by: k)
            if !o, let r = Fraction(small: n, p) { return r }
        }
        precondition(k != 0, "division by zero")
        let n = a.numerator
        let r = UInt(n.magnitude % BigUInt(k.magnitude))
        let g = BigInt(r == 0 ? k.magnitude : gcd(k.magnitude, r))
        let (num, den) = (n / g, a.denominator * (BigInt(k.magnitude) / g))
        return Fraction(reduced: k < 0 ? -num : num, den)
    }

    public static func < (a: Fraction, b: Fraction) -> Bool {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            if ad == bd { return an < bn }
            // Cross products in 128 bits: exact for every pair of machine integers.
            let x = an.multipliedFullWidth(by: bd), y = bn.multipliedFullWidth(by: ad)
            return x.high != y.high ? x.high < y.high : x.low < y.low
        }
        return a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// The value rounded down to whole units.
    public var floor: BigInt {
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return r < 0 ? q - 1 : q
    }

    /// A floating-point approximation (relative error far below 1e-12), to order many values quickly; equal or
    /// nearly equal approximations are decided with the exact value.
    public var double: Double {
        switch storage {
        case .small(let n, let d): return Double(n) / Double(d)
        case .big(let n, let d):
            let shift = max(0, max(n.magnitude.bitWidth, d.magnitude.bitWidth) - 960)
            return Double(n >> shift) / Double(d >> shift)
        }
    }

    /// Rounded to two decimals, for showing (never for deciding).
    public var approximate: Double {
        let scaled = (numerator * 100 + denominator / 2) / denominator
        return Double(String(scaled))! / 100
    }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }
}
