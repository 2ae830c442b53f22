import Foundation
import Testing
@testable import Domain

@Suite("Cheques (Ede Doet): pooling on an initiative")
struct ChequeTests {
    static func day(_ d: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(d) * 86_400) }

    @Test(arguments: [
        // value, target, pledged, deadline, day, funded → outcome
        (750, 3000, 0, 20, 10, false, ChequePool.Pledge.accepted(completes: false)),
        (750, 3000, 2250, 20, 10, false, .accepted(completes: true)),
        (750, 3000, 2700, 20, 20, false, .accepted(completes: true)),
        (750, 3000, 3000, 20, 10, true, .refused(.alreadyFunded)),
        (750, 3000, 750, 20, 21, false, .refused(.deadlinePassed)),
        (750, 3000, 0, 40, 31, false, .refused(.expired)),
        (750, 3000, 0, 20, 4, false, .refused(.expired)),
    ])
    func aChequeIsAcceptedOnlyWhileItAndThePoolAreOpen(value: Int, target: Int, pledged: Int, deadline: Int, day: Int, funded: Bool, outcome: ChequePool.Pledge) {
        #expect(ChequePool.pledge(value: value, target: target, pledged: pledged, deadline: Self.day(deadline), validFrom: Self.day(5), validUntil: Self.day(30),
                                  day: Self.day(day), funded: funded) == outcome)
    }

    @Test func statesAndWhatIsStillNeeded() {
        #expect(ChequePool.state(target: 100, pledged: 50, deadline: Self.day(3), day: Self.day(3), funded: false) == .collecting)
        #expect(ChequePool.state(target: 100, pledged: 50, deadline: Self.day(3), day: Self.day(4), funded: false) == .released)
        #expect(ChequePool.state(target: 100, pledged: 100, deadline: Self.day(3), day: Self.day(9), funded: true) == .funded)
        #expect(ChequePool.chequesNeeded(target: 3000, pledged: 750, value: 750) == 3)
        #expect(ChequePool.chequesNeeded(target: 3000, pledged: 2900, value: 750) == 1)
        #expect(ChequePool.chequesNeeded(target: 3000, pledged: 3000, value: 750) == 0)
    }
}
