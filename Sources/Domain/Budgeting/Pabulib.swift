import Foundation

/// A participatory-budgeting election in Pabulib's text format (pabulib.org/format): a `META` section of
/// `key;value` lines, a `PROJECTS` section and a `VOTES` section, each a `;`-separated table with a header row.
/// Wijkwerk exports its rounds in it and recomputes any file's outcome from it (issue 15), so anyone can check
/// a round with their own tools, and rounds held elsewhere can be checked with Wijkwerk's.
public struct PabulibFile: Equatable, Sendable {
    public struct Table: Equatable, Sendable {
        public var columns: [String]
        public var rows: [[String: String]]
        public init(columns: [String], rows: [[String: String]] = []) {
            self.columns = columns
            self.rows = rows
        }
    }

    /// The `META` pairs in file order.
    public var meta: [(key: String, value: String)]
    public var projects: Table
    public var votes: Table

    public init(meta: [(key: String, value: String)], projects: Table, votes: Table) {
        self.meta = meta
        self.projects = projects
        self.votes = votes
    }

    public static func == (a: PabulibFile, b: PabulibFile) -> Bool {
        a.meta.map { [$0.key, $0.value] } == b.meta.map { [$0.key, $0.value] } && a.projects == b.projects && a.votes == b.votes
    }

    public func metaValue(_ key: String) -> String? { meta.first { $0.key == key }?.value }

    /// What is wrong with a file, with the line it is on (1-based) where there is one.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int?
        public var message: String
        public init(line: Int? = nil, _ message: String) {
            self.line = line
            self.message = message
        }
        public var description: String { line.map { "line \($0): \(message)" } ?? message }
    }

    // MARK: reading

    public static func parse(_ text: String) throws -> PabulibFile {
        var meta: [(key: String, value: String)] = []
        var projects: Table?
        var votes: Table?
        var section: String?
        var header: [String]?
        var lineNumber = 0
        // "\r\n" is one Character in Swift: split on both kinds of line end.
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if ["META", "PROJECTS", "VOTES"].contains(trimmed.uppercased()) {
                section = trimmed.uppercased()
                header = nil
                continue
            }
            guard let current = section else { throw Problem(line: lineNumber, "expected a META, PROJECTS or VOTES section first") }
            let fields = try splitFields(String(line), line: lineNumber)
            guard let columns = header else {
                header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                if current == "PROJECTS" { projects = Table(columns: header!) }
                if current == "VOTES" { votes = Table(columns: header!) }
                continue
            }
            if current == "META" {
                guard fields.count >= 2 else { throw Problem(line: lineNumber, "a META line needs a key and a value") }
                meta.append((fields[0].trimmingCharacters(in: .whitespaces), fields[1...].joined(separator: ";")))
                continue
            }
            guard fields.count <= columns.count else {
                throw Problem(line: lineNumber, "\(fields.count) fields where the header has \(columns.count)")
            }
            var row: [String: String] = [:]
            for (i, value) in fields.enumerated() { row[columns[i]] = value }
            if current == "PROJECTS" { projects!.rows.append(row) } else { votes!.rows.append(row) }
        }
        guard let projects else { throw Problem("the file has no PROJECTS section") }
        guard let votes else { throw Problem("the file has no VOTES section") }
        return PabulibFile(meta: meta, projects: projects, votes: votes)
    }

    /// One line split on `;`, with `"…"` quoting (a doubled quote is a quote), as Pabulib's own tools write it.
    static func splitFields(_ line: String, line number: Int) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var atStart = true
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    // A doubled quote inside quotes is one quote; a single one ends the quoted part.
                    var lookahead = chars
                    if lookahead.next() == "\"" { current.append("\""); chars = lookahead } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == ";" {
                fields.append(current)
                current = ""
                atStart = true
                continue
            } else if c == "\"" && atStart {
                quoted = true
            } else {
                current.append(c)
            }
            atStart = false
        }
        if quoted { throw Problem(line: number, "a quoted field is not closed") }
        fields.append(current)
        return fields
    }

    // MARK: writing

    public func render() -> String {
        var out = "META\nkey;value\n"
        for (key, value) in meta { out += Self.field(key) + ";" + Self.field(value) + "\n" }
        for (name, table) in [("PROJECTS", projects), ("VOTES", votes)] {
            out += name + "\n" + table.columns.map(Self.field).joined(separator: ";") + "\n"
            for row in table.rows { out += table.columns.map { Self.field(row[$0] ?? "") }.joined(separator: ";") + "\n" }
        }
        return out
    }

    static func field(_ value: String) -> String {
        let clean = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard clean.contains(";") || clean.contains("\"") else { return clean }
        return "\"" + clean.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: as an election

    /// The election the file describes, for the allocation rules: approval ballots only (the kind every Dutch
    /// buurtbudget uses); amounts in whole currency units.
    public func election() throws -> BudgetElection {
        if let kind = metaValue("vote_type"), kind.lowercased() != "approval" {
            throw Problem("vote_type \(kind): only approval ballots can be computed")
        }
        guard let budgetText = metaValue("budget") else { throw Problem("META has no budget") }
        guard let budget = Self.amount(budgetText) else { throw Problem("the budget \(budgetText) is not a whole amount") }
        guard projects.columns.contains("project_id"), projects.columns.contains("cost") else {
            throw Problem("PROJECTS needs the columns project_id and cost")
        }
        guard votes.columns.contains("vote") else { throw Problem("VOTES needs the column vote") }
        var list: [BudgetElection.Project] = []
        var known = Set<String>()
        for (i, row) in projects.rows.enumerated() {
            let id = (row["project_id"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { throw Problem("project \(i + 1) has no project_id") }
            guard known.insert(id).inserted else { throw Problem("project \(id) appears twice") }
            guard let cost = Self.amount(row["cost"] ?? ""), cost >= 0 else { throw Problem("project \(id): the cost \(row["cost"] ?? "") is not a whole amount") }
            list.append(.init(id: id, cost: cost, name: row["name"] ?? ""))
        }
        var ballots: [[String]] = []
        ballots.reserveCapacity(votes.rows.count)
        for (i, row) in votes.rows.enumerated() {
            let ids = (row["vote"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for id in ids where !known.contains(id) { throw Problem("vote \(i + 1) (\(row["voter_id"] ?? "")): unknown project \(id)") }
            ballots.append(ids)
        }
        return BudgetElection(budget: budget, projects: list, ballots: ballots)
    }

    /// "100000", "100000.0" or "1.5E5" as a whole amount; nil for anything with a fraction.
    static func amount(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let whole = Int(t) { return whole }
        guard let d = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")), d >= 0 else { return nil }
        var value = d, rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        guard rounded == d else { return nil }
        return (rounded as NSDecimalNumber).intValue
    }
}
