import Foundation

/// Meeting documents and decisions of a council.
public enum CouncilMeetingRules {
    /// Meeting documents are PDF files of at most 10 MB, recognised by their content.
    public static let maxDocumentBytes = 10 * 1024 * 1024

    public enum DocumentProblem: String, Error, Sendable { case empty, tooLarge, notPDF }

    public static func checkDocument(_ data: Data) -> DocumentProblem? {
        if data.isEmpty { return .empty }
        if data.count > maxDocumentBytes { return .tooLarge }
        guard data.starts(with: Array("%PDF-".utf8)) else { return .notPDF }
        return nil
    }

    /// What a council decides in a meeting. A grant of the initiatives capability will point to a subsidy decision.
    public enum DecisionKind: String, CaseIterable, Codable, Sendable { case adviceAdopted, subsidy, other }

    /// A decision's number: year, the council's short code and a sequence per council and year ("2026-RUW-004").
    public static func decisionNumber(year: Int, councilCode: String, sequence: Int) -> String {
        String(format: "%04d-%@-%03d", year, councilCode, sequence)
    }

    /// The short code of a council from its area's name: the first three letters, upper case ("Oss-Zuid" → "OSS").
    public static func councilCode(_ areaName: String) -> String {
        let letters = areaName.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "nl_NL"))
            .uppercased().filter { $0.isLetter && $0.isASCII }
        return String(letters.prefix(3)).padding(toLength: 3, withPad: "X", startingAt: 0)
    }

    /// Codes for all councils of a municipality, in a stable order (the areas' order), each unique: the first
    /// three letters where free, else the initials of the words ("Oss Noord West" → "ONW"), else the first
    /// letter with the last two of the name, else a number. Decision numbers stay unique per municipality even
    /// when several areas start with the same word ("Oss Centrum", "Oss Zuid").
    public static func councilCodes(_ areaNames: [String]) -> [String] {
        var taken: Set<String> = []
        return areaNames.map { name in
            let words = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "nl_NL")).uppercased()
                .split(whereSeparator: { !($0.isLetter && $0.isASCII) }).map(String.init)
            let letters = words.joined()
            let pad = { (s: String) in String(s.prefix(3)).padding(toLength: 3, withPad: "X", startingAt: 0) }
            var candidates = [pad(letters)]
            if words.count >= 2 { candidates.append(pad(words.map { String($0.prefix(1)) }.joined() + (words.last.map { String($0.dropFirst()) } ?? ""))) }
            if letters.count >= 3 { candidates.append(String(letters.prefix(1)) + String(letters.suffix(2))) }
            candidates += (1...99).map { String(letters.prefix(1)) + String(format: "%02d", $0) }
            let code = candidates.first { !taken.contains($0) } ?? UUID().uuidString.prefix(3).uppercased()
            taken.insert(code)
            return code
        }
    }

    public enum MeetingProblem: String, Error, Sendable { case endBeforeStart, plannedInThePast, heldInTheFuture }

    /// Problems with a meeting as entered: it ends before it starts, is planned in the past, or is marked held before it took place.
    public static func problems(start: Date, end: Date, status: CouncilRules.MeetingStatus, now: Date) -> [MeetingProblem] {
        var out: [MeetingProblem] = []
        if end <= start { out.append(.endBeforeStart) }
        if status == .planned && start < now { out.append(.plannedInThePast) }
        if status == .held && start > now { out.append(.heldInTheFuture) }
        return out
    }
}
