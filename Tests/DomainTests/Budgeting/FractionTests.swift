import Foundation
import Testing
@testable import Domain

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
}
