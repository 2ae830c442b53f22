import Foundation

/// The states of a signal (trimmed from Amsterdam's Signalen) and which changes between them are allowed.
public enum SignalState: String, CaseIterable, Codable, Sendable {
    case gemeld
    case inAfwachting = "in_afwachting"
    case inBehandeling = "in_behandeling"
    case ingepland
    case reactieGevraagd = "reactie_gevraagd"
    case reactieOntvangen = "reactie_ontvangen"
    case doorgezetNaarExtern = "doorgezet_naar_extern"
    case verzoekTotAfhandeling = "verzoek_tot_afhandeling"
    case afgehandeld
    case geannuleerd
    case verzoekTotHeropenen = "verzoek_tot_heropenen"
    case heropend

    /// Who makes a change: a staff member, or the system (a job, or the reporter through the system).
    public enum Initiator: Sendable { case staff, system }

    /// Publicly, and in Open311, a signal is either open or closed.
    public var isClosed: Bool { self == .afgehandeld || self == .geannuleerd }
    public var open311Status: String { isClosed ? "closed" : "open" }

    /// The states a staff member may move a signal to from this one.
    public var staffTargets: [SignalState] {
        switch self {
        case .gemeld:
            return [.inAfwachting, .inBehandeling, .ingepland, .reactieGevraagd, .doorgezetNaarExtern, .afgehandeld, .geannuleerd]
        case .inAfwachting:
            return [.gemeld, .inBehandeling, .ingepland, .reactieGevraagd, .doorgezetNaarExtern, .verzoekTotAfhandeling, .afgehandeld, .geannuleerd]
        case .inBehandeling:
            return [.ingepland, .gemeld, .reactieGevraagd, .doorgezetNaarExtern, .verzoekTotAfhandeling, .afgehandeld, .geannuleerd]
        case .ingepland:
            return [.inBehandeling, .gemeld, .reactieGevraagd, .doorgezetNaarExtern, .verzoekTotAfhandeling, .afgehandeld, .geannuleerd]
        case .reactieGevraagd:
            return [.reactieOntvangen, .gemeld, .inAfwachting, .inBehandeling, .ingepland, .doorgezetNaarExtern, .afgehandeld, .geannuleerd]
        case .reactieOntvangen:
            return [.gemeld, .inAfwachting, .inBehandeling, .ingepland, .reactieGevraagd, .doorgezetNaarExtern, .afgehandeld, .geannuleerd]
        case .doorgezetNaarExtern:
            return [.verzoekTotAfhandeling, .gemeld, .inAfwachting, .inBehandeling, .ingepland, .reactieGevraagd, .reactieOntvangen, .afgehandeld, .geannuleerd]
        case .verzoekTotAfhandeling:
            return [.gemeld, .inAfwachting, .inBehandeling, .doorgezetNaarExtern, .afgehandeld, .geannuleerd]
        case .afgehandeld:
            return [.heropend]
        case .geannuleerd:
            return [.heropend, .inBehandeling]
        case .verzoekTotHeropenen:
            return [.afgehandeld, .heropend, .geannuleerd]
        case .heropend:
            return [.gemeld, .inBehandeling, .reactieGevraagd, .doorgezetNaarExtern, .afgehandeld, .geannuleerd]
        }
    }

    /// The changes only the system makes: the reopen request after negative feedback, and the time-outs
    /// (no answer from the reporter within 5 days, no answer from the external party within 14 days).
    public var systemTargets: [SignalState] {
        switch self {
        case .afgehandeld: return [.verzoekTotHeropenen]
        case .reactieGevraagd: return [.reactieOntvangen]
        case .doorgezetNaarExtern: return [.verzoekTotAfhandeling]
        default: return []
        }
    }

    public func canMove(to target: SignalState, by initiator: Initiator) -> Bool {
        switch initiator {
        case .staff: return staffTargets.contains(target)
        case .system: return systemTargets.contains(target) || staffTargets.contains(target)
        }
    }

    /// Closing and reopening need a text for the reporter, explaining what was done or why it is open again.
    public var needsPublicText: Bool { self == .afgehandeld || self == .heropend }

    /// How long the system waits before it moves on by itself.
    public var timeout: (days: Int, to: SignalState)? {
        switch self {
        case .reactieGevraagd: return (5, .reactieOntvangen)
        case .doorgezetNaarExtern: return (14, .verzoekTotAfhandeling)
        default: return nil
        }
    }
}

/// A requested change of state, checked against the machine.
public struct SignalTransition: Sendable, Equatable {
    public enum Problem: String, Error, Sendable, Equatable {
        case notAllowed
        case sameState
        case publicTextMissing
    }

    public var from: SignalState
    public var to: SignalState
    public var publicText: String?
    public var initiator: SignalState.Initiator

    public init(from: SignalState, to: SignalState, publicText: String?, initiator: SignalState.Initiator = .staff) {
        self.from = from
        self.to = to
        self.publicText = publicText
        self.initiator = initiator
    }

    /// Every problem with this change (empty when it may happen).
    public func problems() -> [Problem] {
        if from == to { return [.sameState] }
        var out: [Problem] = []
        if !from.canMove(to: to, by: initiator) { out.append(.notAllowed) }
        let text = (publicText ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if to.needsPublicText && text.isEmpty { out.append(.publicTextMissing) }
        return out
    }
}
