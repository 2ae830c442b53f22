import Foundation
import Testing
@testable import Domain
import BigInt

@Suite("Participatory budgeting: exact fractions")
struct FractionTests {
    @Test func valuesAreKeptInLowestTerms() {
        #expect(Fraction(6, over: 4) == Fraction(3, over: 2))
        #expect(Fraction(6, over: -4) == Fraction(-3, over: 2))
        #expect(Fraction(1, over: 3) + Fraction(1, over: 6) == Fraction(1, over: 2))
        #expect(Fraction(1, over: 2) - Fraction(1, over: 2) == .zero)
        #expect((Fraction(7, over: 3) * 3) == Fraction(7))
        #expect(Fraction(7) / 14 == Fraction(1, over: 2))
        #expect(Fraction(1, over: 3) < Fraction(1, over: 2) && !(Fraction(1, over: 2) < Fraction(1, over: 2)))
    }

    @Test func valuesBeyondMachineIntegersStayExact() {
        // A denominator past Int.max: the sum is computed with arbitrary-size integers and is still equal (and
        // hashes equal) to the same value reached another way.
        let big = Fraction(1, over: Int.max) / 3
        let sum = big + big + big
        #expect(sum == Fraction(1, over: Int.max))
        #expect(Set([sum, Fraction(1, over: Int.max)]).count == 1)
        #expect(big < Fraction(1, over: Int.max))
        #expect(Fraction(Int.max) * 2 - Fraction(Int.max) == Fraction(Int.max))
        // Comparing values whose cross products do not fit 64 bits.
        #expect(Fraction(Int.max - 1, over: Int.max) < Fraction(Int.max, over: Int.max - 1))
        #expect(Fraction(7, over: 2).floor == 3 && Fraction(-7, over: 2).floor == -4)
        #expect(Fraction(2, over: 3).approximate == 0.67)
    }

    @Test func largeValuesComputeTheSameAsByTheDefinition() {
        // Sums, differences, products and quotients of large values (the path without machine integers) equal the
        // same operations written out and reduced by their greatest common divisor, also for zero and signs.
        var rng = SystemRandomNumberGenerator()
        func big() -> BigInt {
            let words = Int.random(in: 1...4, using: &rng)
            var v = BigInt(0)
            for _ in 0..<words { v = v << 64 + BigInt(UInt64.random(in: 0...UInt64.max, using: &rng)) }
            return Bool.random(using: &rng) ? -v : v
        }
        func positive() -> BigInt { let v = big().magnitude; return v == 0 ? 1 : BigInt(v) }
        let smallFactors = [2, 3, 6, 7, 12, 30, 210, 2_310, -4, -9]
        for _ in 0..<500 {
            let common = BigInt(smallFactors.randomElement(using: &rng)!.magnitude)
            let a = Fraction(big(), positive() * common), b = Fraction(big(), positive() * common)
            #expect(a + b == Fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator))
            #expect(a - a == .zero && (a + b) - b == a)
            let k = smallFactors.randomElement(using: &rng)!
            #expect(a * k == Fraction(a.numerator * BigInt(k), a.denominator))
            #expect(a / k == Fraction(a.numerator, a.denominator * BigInt(k)))
            #expect(a * 0 == .zero && (a / k) * k == a)
        }
    }
}
