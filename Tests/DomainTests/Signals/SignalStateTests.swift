import Testing
import Foundation
@testable import Domain

/// The transition table exactly as issue 3 lists it (staff changes), written out independently of the code.
private let allowedByStaff: [String: [String]] = [
    "gemeld": ["in_afwachting", "in_behandeling", "ingepland", "reactie_gevraagd", "doorgezet_naar_extern", "afgehandeld", "geannuleerd"],
    "in_afwachting": ["gemeld", "in_behandeling", "ingepland", "reactie_gevraagd", "doorgezet_naar_extern", "verzoek_tot_afhandeling", "afgehandeld", "geannuleerd"],
    "in_behandeling": ["ingepland", "gemeld", "reactie_gevraagd", "doorgezet_naar_extern", "verzoek_tot_afhandeling", "afgehandeld", "geannuleerd"],
    "ingepland": ["in_behandeling", "gemeld", "reactie_gevraagd", "doorgezet_naar_extern", "verzoek_tot_afhandeling", "afgehandeld", "geannuleerd"],
    "reactie_gevraagd": ["reactie_ontvangen", "gemeld", "in_afwachting", "in_behandeling", "ingepland", "doorgezet_naar_extern", "afgehandeld", "geannuleerd"],
    "reactie_ontvangen": ["gemeld", "in_afwachting", "in_behandeling", "ingepland", "reactie_gevraagd", "doorgezet_naar_extern", "afgehandeld", "geannuleerd"],
    "doorgezet_naar_extern": ["verzoek_tot_afhandeling", "gemeld", "in_afwachting", "in_behandeling", "ingepland", "reactie_gevraagd", "reactie_ontvangen", "afgehandeld", "geannuleerd"],
    "verzoek_tot_afhandeling": ["gemeld", "in_afwachting", "in_behandeling", "doorgezet_naar_extern", "afgehandeld", "geannuleerd"],
    "afgehandeld": ["heropend"],
    "geannuleerd": ["heropend", "in_behandeling"],
    "verzoek_tot_heropenen": ["afgehandeld", "heropend", "geannuleerd"],
    "heropend": ["gemeld", "in_behandeling", "reactie_gevraagd", "doorgezet_naar_extern", "afgehandeld", "geannuleerd"],
]

private let allPairs: [(SignalState, SignalState)] = SignalState.allCases.flatMap { a in SignalState.allCases.map { (a, $0) } }

@Suite("Signal state machine")
struct SignalStateTests {
    @Test(arguments: allPairs)
    func staffTransitionFollowsTheTable(from: SignalState, to: SignalState) {
        let expected = allowedByStaff[from.rawValue]!.contains(to.rawValue)
        #expect(from.canMove(to: to, by: .staff) == expected, "\(from.rawValue) → \(to.rawValue)")
        let problems = SignalTransition(from: from, to: to, publicText: "Wij hebben de lamp vervangen.").problems()
        if from == to {
            #expect(problems == [.sameState])
        } else {
            #expect(problems.contains(.notAllowed) == !expected, "\(from.rawValue) → \(to.rawValue)")
        }
    }

    @Test func theTableCoversEveryState() {
        #expect(Set(allowedByStaff.keys) == Set(SignalState.allCases.map(\.rawValue)))
        #expect(SignalState.allCases.count == 12)
    }

    @Test func onlyTheSystemAsksToReopenAfterNegativeFeedback() {
        #expect(!SignalState.afgehandeld.canMove(to: .verzoekTotHeropenen, by: .staff))
        #expect(SignalState.afgehandeld.canMove(to: .verzoekTotHeropenen, by: .system))
        #expect(SignalTransition(from: .afgehandeld, to: .verzoekTotHeropenen, publicText: nil, initiator: .system).problems().isEmpty)
        #expect(!SignalState.gemeld.canMove(to: .verzoekTotHeropenen, by: .system))
        #expect(!SignalState.afgehandeld.canMove(to: .gemeld, by: .system))
    }

    @Test func timeoutsMoveOnByThemselves() {
        #expect(SignalState.reactieGevraagd.timeout?.days == 5)
        #expect(SignalState.reactieGevraagd.timeout?.to == .reactieOntvangen)
        #expect(SignalState.doorgezetNaarExtern.timeout?.days == 14)
        #expect(SignalState.doorgezetNaarExtern.timeout?.to == .verzoekTotAfhandeling)
        #expect(SignalState.inBehandeling.timeout == nil)
        for state in SignalState.allCases {
            if let t = state.timeout { #expect(state.canMove(to: t.to, by: .system)) }
        }
    }

    @Test(arguments: [SignalState.afgehandeld, .heropend])
    func closingAndReopeningNeedAPublicText(target: SignalState) {
        let from: SignalState = target == .afgehandeld ? .inBehandeling : .afgehandeld
        #expect(SignalTransition(from: from, to: target, publicText: nil).problems() == [.publicTextMissing])
        #expect(SignalTransition(from: from, to: target, publicText: "  \n ").problems() == [.publicTextMissing])
        #expect(SignalTransition(from: from, to: target, publicText: "Opgelost.").problems().isEmpty)
        #expect(SignalTransition(from: .gemeld, to: .inBehandeling, publicText: nil).problems().isEmpty)
    }

    @Test func publiclyOnlyClosedAndCancelledAreClosed() {
        for state in SignalState.allCases {
            #expect(state.open311Status == ([.afgehandeld, .geannuleerd].contains(state) ? "closed" : "open"))
        }
    }
}
