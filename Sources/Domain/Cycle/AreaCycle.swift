import Foundation

/// The area cycle (domain.md §7; seeds 001, 002, 003): four products per area, each with its cadence, going from
/// draft through consultation to adoption by the college, and replaced by a new version when it is adjusted.
public enum CycleKind: String, CaseIterable, Codable, Sendable {
    case analysis, agenda, plan, monitor

    /// Amsterdam's cadence in months: analysis once per four years, agenda adjusted yearly (rewritten every four),
    /// plan yearly, monitor twice a year.
    public var defaultCadenceMonths: Int {
        switch self {
        case .analysis: return 48
        case .agenda: return 12
        case .plan: return 12
        case .monitor: return 6
        }
    }

    /// Whether residents, partners and the council must have been consulted before the college adopts it.
    public var consultationRequired: Bool { self == .agenda || self == .plan }
}

/// A municipality's cadence per product and which products are consulted before adoption; Amsterdam's by default.
public struct CyclePolicy: Hashable, Sendable, Codable {
    public var cadenceMonths: [String: Int]
    public var consulted: [String]

    public static let amsterdam = CyclePolicy(cadenceMonths: Dictionary(uniqueKeysWithValues: CycleKind.allCases.map { ($0.rawValue, $0.defaultCadenceMonths) }),
                                              consulted: CycleKind.allCases.filter(\.consultationRequired).map(\.rawValue))
    public static let monthRange = 1...120

    public init(cadenceMonths: [String: Int], consulted: [String]) {
        self.cadenceMonths = cadenceMonths
        self.consulted = consulted
    }

    public func months(_ kind: CycleKind) -> Int { cadenceMonths[kind.rawValue] ?? kind.defaultCadenceMonths }
    public func consults(_ kind: CycleKind) -> Bool { consulted.contains(kind.rawValue) }
}

public enum CycleStatus: String, CaseIterable, Codable, Sendable {
    case draft, consultation, submitted, adopted, evaluated, superseded

    /// Public: everything past the draft (a draft is the area team's working copy).
    public var isPublic: Bool { self != .draft }
    /// The version that counts now: adopted (in force) or evaluated at the end of its period.
    public var isAdopted: Bool { self == .adopted || self == .evaluated }
    public var isOpen: Bool { self == .draft || self == .consultation || self == .submitted }
}

/// Who moves a product along.
public enum CycleActor: Sendable { case coordinator, college }

public enum CycleFlow {
    public enum Step: String, CaseIterable, Sendable { case openConsultation, submit, sendBack, adopt, evaluate }

    public enum Refusal: String, Error, Sendable {
        case notAllowed, wrongStatus, consultationNotOver, consultationMissing, consultationEndInPast
    }

    /// The transition table: from which status a step goes, to which status, and who may take it.
    public static let table: [Step: (from: Set<CycleStatus>, to: CycleStatus, by: CycleActor)] = [
        .openConsultation: ([.draft], .consultation, .coordinator),
        .submit: ([.draft, .consultation], .submitted, .coordinator),
        .sendBack: ([.submitted], .draft, .college),
        .adopt: ([.submitted], .adopted, .college),
        .evaluate: ([.adopted], .evaluated, .coordinator),
    ]

    /// The status after a step, or why it cannot be taken. `consultedUntil` is the end of the product's
    /// consultation (nil when there was none).
    public static func next(_ step: Step, from status: CycleStatus, kind: CycleKind, by actor: CycleActor, consultedUntil: Date?,
                            consultationEnds: Date? = nil, now: Date, policy: CyclePolicy = .amsterdam) -> Result<CycleStatus, Refusal> {
        guard let rule = table[step] else { return .failure(.notAllowed) }
        guard rule.by == actor else { return .failure(.notAllowed) }
        guard rule.from.contains(status) else { return .failure(.wrongStatus) }
        switch step {
        case .openConsultation:
            guard let end = consultationEnds, end > now else { return .failure(.consultationEndInPast) }
        case .submit:
            if status == .consultation, let until = consultedUntil, until > now { return .failure(.consultationNotOver) }
            if status == .draft && policy.consults(kind) { return .failure(.consultationMissing) }
        case .adopt:
            if policy.consults(kind) && consultedUntil == nil { return .failure(.consultationMissing) }
        default: break
        }
        return .success(rule.to)
    }

    /// Whether a response to a consultation is still accepted.
    public static func acceptsResponses(status: CycleStatus, consultationEnds: Date?, now: Date) -> Bool {
        status == .consultation && (consultationEnds.map { now < $0 } ?? false)
    }
}

/// How old each product is against its cadence (Venray in 001: plans that are not updated lose their status).
public enum CycleFreshness: Equatable, Sendable {
    case missing, current(until: Date), outdated(since: Date), notYet

    public static func of(adoptedOn: Date?, cadenceMonths: Int, notYet: Bool, now: Date, calendar: Calendar) -> CycleFreshness {
        guard let adoptedOn else { return notYet ? .notYet : .missing }
        let until = calendar.date(byAdding: .month, value: cadenceMonths, to: adoptedOn)!
        return until > now ? .current(until: until) : .outdated(since: until)
    }

    public var isOutdated: Bool { if case .outdated = self { return true } else { return false } }
}

/// Linking opportunities (koppelkansen, 001): projects of different owners that overlap in place and time, or that
/// serve the same spearhead, so the coordinator can combine them.
public enum LinkingOpportunities {
    public struct Project: Sendable {
        public var id: UUID
        public var owner: String
        public var areas: Set<UUID>
        /// Buurten; empty means the whole of its areas.
        public var neighbourhoods: Set<UUID>
        public var start: Date
        public var end: Date
        public var spearheads: Set<String>
        /// The owner compared case-insensitively.
        public let ownerKey: String
        public init(id: UUID, owner: String, areas: Set<UUID>, neighbourhoods: Set<UUID> = [], start: Date, end: Date, spearheads: Set<String> = []) {
            self.id = id
            self.owner = owner
            self.areas = areas
            self.neighbourhoods = neighbourhoods
            self.start = start
            self.end = end
            self.spearheads = spearheads
            self.ownerKey = owner.lowercased()
        }
    }

    public enum Reason: Hashable, Sendable {
        /// Same place (shared buurten, or the same area where one covers the whole area) in overlapping periods.
        case placeAndTime(neighbourhoods: Set<UUID>, area: UUID?, from: Date, to: Date)
        case spearhead(String)
    }

    public struct Match: Sendable {
        public var first: UUID
        public var second: UUID
        public var reasons: [Reason]
    }

    public static func periodsOverlap(_ a: Project, _ b: Project) -> (Date, Date)? {
        let from = max(a.start, b.start), to = min(a.end, b.end)
        return from <= to ? (from, to) : nil
    }

    /// The place two projects share: buurten both name, or (when one covers its whole area) a shared area.
    public static func sharedPlace(_ a: Project, _ b: Project) -> (neighbourhoods: Set<UUID>, area: UUID?)? {
        let areas = a.areas.intersection(b.areas)
        if !a.neighbourhoods.isEmpty && !b.neighbourhoods.isEmpty {
            let shared = a.neighbourhoods.intersection(b.neighbourhoods)
            return shared.isEmpty ? nil : (shared, nil)
        }
        guard let area = areas.min(by: { $0.uuidString < $1.uuidString }) else { return nil }
        return ([], area)
    }

    /// How far apart two projects for the same spearhead may be and still be worth linking: within one agenda
    /// year of each other (a spearhead's code stays across versions, but a project nine years earlier is history).
    public static let spearheadGap: TimeInterval = 365 * 86_400

    private struct Pair: Hashable { var a: Int; var b: Int }

    /// Every pair of projects of different owners with a reason to link them, each pair once (first < second by
    /// id), at most `limit`, in a stated order (by the ids' text). Per area and per spearhead the projects are swept
    /// in order of their start, and only those that overlap in time (or, for a spearhead, lie within
    /// `spearheadGap`) are compared: the work grows with the real overlaps, not with the square of ten years of
    /// projects. Ids are compared through their text computed once per project.
    public static func find(_ projects: [Project], limit: Int = .max) -> [Match] {
        let keys = projects.map(\.id.uuidString)
        var buckets: [String: [Int]] = [:]
        for (i, p) in projects.enumerated() {
            for a in p.areas { buckets["a:" + a.uuidString, default: []].append(i) }
            for s in p.spearheads { buckets["s:" + s, default: []].append(i) }
        }
        var candidates = Set<Pair>()
        for (key, members) in buckets where members.count > 1 {
            let slack = key.hasPrefix("s:") ? spearheadGap : 0
            let sorted = members.sorted { projects[$0].start < projects[$1].start }
            for i in sorted.indices {
                let x = sorted[i], reach = projects[x].end.addingTimeInterval(slack)
                var j = i + 1
                while j < sorted.count, projects[sorted[j]].start <= reach {
                    let y = sorted[j]
                    // One owner's own projects are never an opportunity: skipped before they cost anything.
                    if x != y && projects[x].ownerKey != projects[y].ownerKey {
                        candidates.insert(keys[x] < keys[y] ? Pair(a: x, b: y) : Pair(a: y, b: x))
                    }
                    j += 1
                }
            }
        }
        var out: [(Pair, [Reason])] = []
        for pair in candidates.sorted(by: { (keys[$0.a], keys[$0.b]) < (keys[$1.a], keys[$1.b]) }) {
            if out.count >= limit { break }
            let a = projects[pair.a], b = projects[pair.b]
            var reasons: [Reason] = []
            if let period = periodsOverlap(a, b), let place = sharedPlace(a, b) {
                reasons.append(.placeAndTime(neighbourhoods: place.neighbourhoods, area: place.area, from: period.0, to: period.1))
            }
            let gap = max(a.start, b.start).timeIntervalSince(min(a.end, b.end))
            if gap <= spearheadGap && !a.spearheads.isEmpty && !b.spearheads.isEmpty {
                for s in a.spearheads.intersection(b.spearheads).sorted() { reasons.append(.spearhead(s)) }
            }
            if !reasons.isEmpty { out.append((pair, reasons)) }
        }
        return out.map { Match(first: projects[$0.0.a].id, second: projects[$0.0.b].id, reasons: $0.1) }
    }
}

/// What changed between two versions of an agenda or plan: lines added and removed (by their titles).
public enum CycleDiff {
    public static func changes(old: [String], new: [String]) -> (added: [String], removed: [String]) {
        let o = Set(old), n = Set(new)
        return (new.filter { !o.contains($0) }, old.filter { !n.contains($0) })
    }
}
