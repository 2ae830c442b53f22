import Foundation

/// Becoming a council member (seed 004): a resident applies, staff check the eligibility rules, the independent
/// selection group nominates, the college appoints for the term. Candidates may withdraw; members may resign.
public enum Candidacy {
    public enum Status: String, CaseIterable, Codable, Sendable {
        case applied, checked, ineligible, nominated, notNominated, appointed, withdrawn
    }

    public enum Step: String, CaseIterable, Sendable { case check, nominate, reject, appoint, withdraw }

    /// Who may take a step: staff check, the selection group (recorded by the coordinator) nominates or
    /// rejects, the college appoints, and the candidate (through staff) withdraws.
    public static func next(_ status: Status, _ step: Step, eligible: Bool = true) -> Status? {
        switch (status, step) {
        case (.applied, .check): return eligible ? .checked : .ineligible
        case (.checked, .nominate): return .nominated
        case (.checked, .reject): return .notNominated
        case (.nominated, .appoint): return .appointed
        case (.applied, .withdraw), (.checked, .withdraw), (.nominated, .withdraw): return .withdrawn
        default: return nil
        }
    }

    public static func steps(from status: Status) -> [Step] {
        Step.allCases.filter { next(status, $0) != nil }
    }

    /// The same person, by e-mail address (case-insensitive) or, without one, by name.
    public static func samePerson(_ a: (email: String?, name: String), _ b: (email: String?, name: String)) -> Bool {
        if let x = a.email?.lowercased(), let y = b.email?.lowercased(), !x.isEmpty, !y.isEmpty { return x == y }
        return a.name.trimmingCharacters(in: .whitespaces).lowercased() == b.name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Free seats of a council.
    public static func vacancies(seats: Int, members: Int) -> Int { max(0, seats - members) }

    /// Whether two periods [start, end) overlap (an open end runs on).
    public static func overlaps(_ a: (start: Date, end: Date?), _ b: (start: Date, end: Date?)) -> Bool {
        let aEnd = a.end ?? .distantFuture, bEnd = b.end ?? .distantFuture
        return a.start < bEnd && b.start < aEnd
    }

    /// The competences of the council profile in seed 004, shown first on the candidate form.
    public static let profileNL = [
        "Kent het gebied sociaal, fysiek en cultureel",
        "Weet wat er leeft in de wijk, dorp of buurt",
        "Staat tussen en niet boven de bewoners",
        "Is heel benaderbaar, herkenbaar in de wijk of het dorp",
        "Zoekt actief contact met bewoners en gaat makkelijk in gesprek met bewoners",
        "Is aanspreekbaar voor bewoners(groepen)",
        "Stimuleert bewoners actief medeverantwoordelijk te zijn in woord en daad",
        "Creatief in het (mede) bedenken van activiteiten en oplossingen",
        "Weet bewoners, vrijwilligers en beroepskrachten te enthousiasmeren en te binden",
    ]
    public static let profileEN = [
        "Knows the area socially, physically and culturally",
        "Knows what is going on in the neighbourhood or village",
        "Stands among the residents, not above them",
        "Is very approachable and recognisable in the neighbourhood or village",
        "Actively seeks contact with residents and talks with them easily",
        "Can be approached by residents and groups of residents",
        "Encourages residents to share responsibility in word and deed",
        "Is creative in thinking up activities and solutions together",
        "Knows how to enthuse and connect residents, volunteers and professionals",
    ]
}
