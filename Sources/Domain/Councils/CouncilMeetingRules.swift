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
